"""kecamatan"""

"""kabupaten"""

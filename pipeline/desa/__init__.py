"""desa"""

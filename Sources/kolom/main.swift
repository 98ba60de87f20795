print("kolom")

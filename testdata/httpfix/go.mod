module httpfix

go 1.25

module go120

go 1.20

module vetfixture

go 1.26.0

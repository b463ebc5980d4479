module go127vet

go 1.27

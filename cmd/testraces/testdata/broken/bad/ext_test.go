package bad_test

import (
	"testing"

	"broken/bad"
)

func TestExt(t *testing.T) { _ = bad.N() }

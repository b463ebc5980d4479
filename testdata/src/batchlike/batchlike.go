// Package batchlike runs a function for each index, on goroutines when
// there are several (gqlgen's MarshalSliceConcurrently): with none or one,
// it returns before any goroutine starts.
package batchlike

import "sync"

// Each runs f(i) for i in [0, n).
func Each(n int, f func(i int)) { // want Each:"async=1 unless=0==0,0==1"
	if n == 0 {
		return
	}
	isOne := n == 1
	if isOne {
		f(0)
		return
	}
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { f(i) })
	}
	wg.Wait()
}

// EachMaybe runs f(i) on goroutines unless told not to.
func EachMaybe(n int, sequential bool, f func(i int)) { // want EachMaybe:"async=2 unless=1==1"
	if sequential {
		for i := range n {
			f(i)
		}
		return
	}
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { f(i) })
	}
	wg.Wait()
}

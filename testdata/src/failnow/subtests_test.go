package failnow

import "testing"

func TestParentTInSubtest(t *testing.T) {
	t.Run("x", func(st *testing.T) {
		t.FailNow() // want `t.FailNow is called inside subtest "x" \(line 6\), which runs on its own goroutine, on the parent's testing value t: FailNow there ends the subtest's goroutine, and the testing package then panics the whole test binary \("test executed panic\(nil\) or runtime.Goexit: subtest may have called FailNow on a parent test"\); use the subtest's own testing value`
		st.Fatal("own: fine")
	})
}

func TestSubtestInGoroutine(t *testing.T) {
	done := make(chan bool)
	go func() {
		defer close(done)
		t.Run("inner", func(t *testing.T) {
			t.Fatal("the subtest's own t: fine")
		})
	}()
	<-done
}

func TestShadowedSubtestT(t *testing.T) {
	for _, name := range []string{"a"} {
		t.Run(name, func(t *testing.T) {
			t.Fatal("own: fine")
		})
	}
}

func TestParentTInSubtestStartedWithGo(t *testing.T) {
	go t.Run("sub", func(t2 *testing.T) {
		t.FailNow() // want `t.FailNow is called inside subtest "sub" \(line 32\), which runs on its own goroutine, on the parent's testing value t`
	})
}

func BenchmarkParentBInSubBenchmark(b *testing.B) {
	b.Run("sub", func(b2 *testing.B) {
		if b2.N < 0 {
			b.Fatal("x") // want `b.Fatal is called inside sub-benchmark "sub" \(line 38\), which runs on its own goroutine, on b, the testing value of an enclosing test or benchmark: FailNow there ends only the sub-benchmark's goroutine, and that test goes on running after Run returns; use the sub-benchmark's own testing value`
		}
		b2.Fatal("own: fine")
	})
}

// A closure handed back by a helper that a local function literal calls
// (connect(t) returning expectFor(t)'s closure, as nats-server's tests
// do): bound to the testing value connect was given where it was called.

type expectation func(string)

func expectFor(t *testing.T) expectation {
	return func(s string) {
		if s == "" {
			t.Fatal("empty")
		}
	}
}

func TestClosureFromALocalHelperGivenTheSubtestsT(t *testing.T) {
	connect := func(t *testing.T) expectation { return expectFor(t) }
	for _, name := range []string{"a", "b"} {
		t.Run(name, func(t *testing.T) {
			expect := connect(t)
			expect("x")
		})
	}
}

func TestClosureFromALocalHelperGivenTheParentsT(t *testing.T) {
	connect := func(t *testing.T) expectation { return expectFor(t) }
	expect := connect(t)
	t.Run("a", func(st *testing.T) {
		expect("x") // want `expect is called inside subtest "a" \(line 73\), .* on the parent's testing value t`
	})
}

func TestClosureFromAHelperGivenACopyOfTheParentsT(t *testing.T) {
	var expect expectation
	{
		tt := t
		expect = expectFor(tt)
	}
	t.Run("a", func(st *testing.T) {
		expect("x") // want `expect is called inside subtest "a" \(line 84\), .* on the parent's testing value tt`
	})
}

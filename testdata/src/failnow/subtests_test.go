package failnow

import (
	"testing"

	"github.com/stretchr/testify/suite"

	"testutil"
)

func TestParentTInSubtest(t *testing.T) {
	t.Run("x", func(st *testing.T) {
		t.FailNow() // want `t.FailNow is called inside subtest "x" \(line 12\), which runs on its own goroutine, on the parent's testing value t: FailNow there ends the subtest's goroutine, and the testing package then panics the whole test binary \("test executed panic\(nil\) or runtime.Goexit: subtest may have called FailNow on a parent test"\); use the subtest's own testing value`
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
		t.FailNow() // want `t.FailNow is called inside subtest "sub" \(line 38\), which runs on its own goroutine, on the parent's testing value t`
	})
}

func BenchmarkParentBInSubBenchmark(b *testing.B) {
	b.Run("sub", func(b2 *testing.B) {
		if b2.N < 0 {
			b.Fatal("x") // want `b.Fatal is called inside sub-benchmark "sub" \(line 44\), which runs on its own goroutine, on b, the testing value of an enclosing test or benchmark: FailNow there ends only the sub-benchmark's goroutine, and that test goes on running after Run returns; use the sub-benchmark's own testing value`
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
		expect("x") // want `expect is called inside subtest "a" \(line 79\), .* on the parent's testing value t`
	})
}

func TestClosureFromAHelperGivenACopyOfTheParentsT(t *testing.T) {
	var expect expectation
	{
		tt := t
		expect = expectFor(tt)
	}
	t.Run("a", func(st *testing.T) {
		expect("x") // want `expect is called inside subtest "a" \(line 90\), .* on the parent's testing value tt`
	})
}

// Subtests a helper starts, at any depth and in any package: the body
// runs on the subtest's goroutine, where only the subtest's own testing
// value may stop.

func runCase(t *testing.T, name string, body func(t *testing.T)) {
	t.Run(name, body)
}

func runNamed(t *testing.T, name string, body func(t *testing.T)) { runCase(t, name, body) }

func withDB(t *testing.T, body func(db string)) {
	t.Run("db", func(t *testing.T) {
		body("dsn")
	})
}

func TestParentTInAHelpersSubtest(t *testing.T) {
	runCase(t, "a", func(st *testing.T) {
		t.FailNow() // want `t.FailNow is called inside subtest started by runCase \(line 112\), which runs on its own goroutine, on the parent's testing value t`
		st.Fatal("own: fine")
	})
}

func TestParentTInAHelpersHelpersSubtest(t *testing.T) {
	runNamed(t, "a", func(*testing.T) {
		t.Fatal("x") // want `t.Fatal is called inside subtest started by runNamed \(line 119\)`
	})
}

func TestParentTInABodyAHelperCallsInItsSubtest(t *testing.T) {
	withDB(t, func(db string) {
		if db == "" {
			t.Fatal("no db") // want `t.Fatal is called inside subtest started by withDB \(line 125\)`
		}
	})
}

func TestParentTInAnotherPackagesHelpersSubtest(t *testing.T) {
	testutil.RunEach(t, map[string]func(*testing.T){
		"a": func(t *testing.T) { t.Fatal("own: fine") },
	})
	testutil.RunEach(t, map[string]func(*testing.T){})
	parent := t
	testutil.RunEach(t, nil)
	runCase(t, "b", func(t *testing.T) {
		testutil.Must(parent, nil) // want `testutil.Must is called inside subtest started by runCase \(line 139\)`
	})
}

type subtestSuite struct{ suite.Suite }

// testify's Suite.Run gives the suite the subtest's testing value before
// it runs the body: s.T() and s.Require() there are the subtest's.
func (s *subtestSuite) TestSuiteRun() {
	s.Run("a", func() {
		s.Require().NoError(work())
		s.T().Fatal("the subtest's: fine")
	})
	parent := s.T()
	s.Run("b", func() {
		parent.FailNow() // want `parent.FailNow is called inside subtest started by s.Run \(line 154\)`
	})
}

// A value holding a testing value may have been given the subtest's by
// the helper that runs the subtest: not known here, not reported.
type subtestHarness struct{ t *testing.T }

func TestHarnessInAHelpersSubtest(t *testing.T) {
	h := &subtestHarness{t: t}
	runCase(t, "a", func(*testing.T) {
		h.t.Fatal("not known to be the parent's")
	})
}

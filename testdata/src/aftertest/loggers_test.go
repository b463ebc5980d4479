package aftertest

import (
	"fmt"
	"log"
	"log/slog"
	"testing"

	"github.com/go-logr/logr/testr"
	"github.com/hashicorp/go-hclog"
	"go.uber.org/mock/gomock"
	"go.uber.org/zap/zaptest"
	"k8s.io/klog/v2"
	"k8s.io/klog/v2/ktesting"
)

func TestZaptest(t *testing.T) {
	logger := zaptest.NewLogger(t)
	go func() { // want `logger.Info \(bound to t by zaptest.NewLogger at line 18\) may run after TestZaptest has completed: the goroutine started at line 19 is not waited for, and the testing package then writes its line`
		logger.Info("late")
	}()
}

func TestZaptestDerived(t *testing.T) {
	logger := zaptest.NewLogger(t).With()
	sugar := logger.Named("x").Sugar()
	go func() { // want `sugar.Infof \(bound to t by zaptest.NewLogger at line 25\) may run after TestZaptestDerived`
		sugar.Infof("late")
	}()
}

func TestTestr(t *testing.T) {
	logger := testr.New(t)
	go func() { // want `logger.V\(1\).Info \(bound to t by testr.New at line 33\) may run after TestTestr`
		logger.V(1).Info("late")
	}()
}

func TestTestrOptions(t *testing.T) {
	logger := testr.NewWithOptions(t, testr.Options{Verbosity: 2}).WithName("x")
	go func() { // want `logger.Error \(bound to t by testr.NewWithOptions`
		logger.Error(nil, "late")
	}()
}

func TestKtesting(t *testing.T) {
	_, ctx := ktesting.NewTestContext(t)
	go func() { // want `klog.FromContext\(ctx\).Info \(bound to t by ktesting.NewTestContext at line 47\)`
		klog.FromContext(ctx).Info("late")
	}()
}

func TestKtestingLogger(t *testing.T) {
	logger := ktesting.NewLogger(t, nil)
	go func() { // want `logger.Info \(bound to t by ktesting.NewLogger`
		logger.Info("late")
	}()
}

// testWriter is an adapter that writes with t.Log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) { // want Write:`reports\(logs=0\)`
	w.t.Log(string(p))
	return len(p), nil
}

func TestHclogOutput(t *testing.T) {
	logger := hclog.New(&hclog.LoggerOptions{Name: "test", Output: t.Output()})
	go func() { // want `logger.Info \(bound to t by hclog.New at line 69\)`
		logger.Info("late")
	}()
}

func TestHclogAdapter(t *testing.T) {
	logger := hclog.New(&hclog.LoggerOptions{Output: testWriter{t}}).Named("srv")
	go func() { // want `logger.Debug \(bound to t by hclog.New at line 76\)`
		logger.Debug("late")
	}()
}

func TestSlog(t *testing.T) {
	logger := slog.New(slog.NewTextHandler(t.Output(), nil))
	go func() { // want `logger.Info \(bound to t by slog.New at line 83\)`
		logger.Info("late")
	}()
}

func TestStdLog(t *testing.T) {
	logger := log.New(t.Output(), "test: ", 0)
	go func() { // want `logger.Printf \(bound to t by log.New at line 90\)`
		logger.Printf("late")
	}()
}

func TestFprintfOutput(t *testing.T) {
	w := t.Output()
	go func() { // want `fmt.Fprintf \(bound to t by t.Output at line 97\) may run after TestFprintfOutput`
		fmt.Fprintf(w, "late\n")
	}()
}

func TestGomock(t *testing.T) {
	ctrl := gomock.NewController(t)
	store := NewMockStore(ctrl)
	go func() { // want `store.Get \(bound to t by gomock.NewController at line 104\) may run after TestGomock has completed: the goroutine started at line 106 is not waited for, and it fails the test on an unexpected call, which the testing package then turns into a panic of the whole test binary`
		store.Get("k")
	}()
}

func TestGoLoggerMethod(t *testing.T) {
	logger := zaptest.NewLogger(t)
	go logger.Info("late") // want `logger.Info \(bound to t by zaptest.NewLogger`
}

// Package seed reproduces the situation the project was created from: an
// AdmissionServer whose composable Run starts ListenAndServeTLS on a
// goroutine of its own and then blocks, selecting on signals, errors and
// the context, so that a test cannot tell when it listens.
package seed

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// Logger logs key-value pairs.
type Logger interface {
	Log(keyvals ...interface{}) error
}

type noopLogger struct{}

func (*noopLogger) Log(...interface{}) error { return nil }

// AdmissionServer serves admission requests.
type AdmissionServer struct {
	srv         *http.Server
	logger      Logger
	GracePeriod time.Duration
}

// NewServer returns an AdmissionServer for srv.
func NewServer(srv *http.Server, logger Logger) (*AdmissionServer, error) {
	return &AdmissionServer{srv: srv, logger: logger}, nil
}

// Run listens on a goroutine of its own, then blocks until a signal, an
// error or the context's end: it never tells when it listens.
func (as *AdmissionServer) Run(ctx context.Context) error {
	sigChan := make(chan os.Signal, 1)
	defer close(sigChan)
	signal.Notify(sigChan, os.Interrupt, syscall.SIGTERM)

	errs := make(chan error)
	defer close(errs)
	go func() {
		as.logger.Log("msg", fmt.Sprintf("admission control listening on '%s'", as.srv.Addr))
		if err := as.srv.ListenAndServeTLS("", ""); err != nil && err != http.ErrServerClosed {
			errs <- err
			as.logger.Log("err", err.Error(), "msg", "the server exited")
			return
		}
	}()

	for {
		select {
		case sig := <-sigChan:
			as.logger.Log("msg", fmt.Sprintf("signal received: %s", sig))
			return as.shutdown(ctx, as.GracePeriod)
		case err := <-errs:
			as.logger.Log("msg", fmt.Sprintf("listener error: %s", err))
			return err
		case <-ctx.Done():
			as.logger.Log("msg", fmt.Sprintf("cancellation received: %s", ctx.Err()))
			return as.shutdown(ctx, as.GracePeriod)
		}
	}
}

func (as *AdmissionServer) shutdown(ctx context.Context, grace time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, grace)
	defer cancel()
	return as.srv.Shutdown(ctx)
}

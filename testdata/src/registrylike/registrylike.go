// Package registrylike keeps hooks and runs them when its caller says so,
// on the caller's goroutine.
package registrylike

// Hook is run by RunAll.
type Hook func() error

// Registry keeps hooks.
type Registry struct{ hooks []Hook }

// Register keeps h.
func (r *Registry) Register(h Hook) { // want Register:"stores=1:registrylike.Hook"
	r.hooks = append(r.hooks, h)
}

// RunAll runs the hooks, on the calling goroutine.
func (r *Registry) RunAll() error { // want RunAll:"callsstored=registrylike.Hook"
	for _, h := range r.hooks {
		if err := h(); err != nil {
			return err
		}
	}
	return nil
}

// Package nodelike keeps shutdown hooks and runs them, when the node shuts
// down, on a goroutine of its own.
package nodelike

// Hook is run by Shutdown.
type Hook func()

// Node is a node.
type Node struct{ hooks []Hook }

// OnShutdown keeps h.
func (n *Node) OnShutdown(h Hook) { // want OnShutdown:"stores=1:nodelike.Hook"
	n.hooks = append(n.hooks, h)
}

// Shutdown runs the hooks on a goroutine and waits for them.
func (n *Node) Shutdown() { // want Shutdown:"runsstored=nodelike.Hook"
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, h := range n.hooks {
			h()
		}
	}()
	<-done
}

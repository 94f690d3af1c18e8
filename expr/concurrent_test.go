package expr

import (
	"sync"
	"testing"
)

// TestCompileConcurrently compiles expressions with comprehensions from many
// goroutines on the one shared environment: settings are saved and loaded
// concurrently, and the race detector must find nothing.
func TestCompileConcurrently(t *testing.T) {
	t.Parallel()
	srcs := []string{
		`event.payload.items.exists(i, i.sku == "a")`,
		`event.payload.tags.all(t, t.startsWith("x")) && event.type == "push"`,
		`event.headers.exists(k, k == "x-a")`,
		`[1, 2, 3].map(x, x * 2).size() == 3`,
		`[event].exists(e, e.type == "push")`,
		`[1,2,3].all(a, [1,2,3].all(b, a + b > 0))`,
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				if _, err := CompileBool(EventEnv(), srcs[(g+i)%len(srcs)]); err != nil {
					t.Error(err)
					return
				}
				// A failing check takes the same paths.
				CompileBool(EventEnv(), `event.payload.items.exists(i, i.sku == nosuch)`)
			}
		}()
	}
	wg.Wait()
}

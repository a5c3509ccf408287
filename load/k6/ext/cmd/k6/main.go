// Command k6 is k6 with the agentwire SSE extension built in (what `xk6 build --with` would generate).
package main

import (
	k6cmd "go.k6.io/k6/cmd"

	_ "agentwire/k6ext/sse"
)

func main() {
	k6cmd.Execute()
}

package client

import "context"

// Ready reports whether the server answers /readyz with 200: its database
// answers and its migrations are applied. It needs no API key.
func (c *Client) Ready(ctx context.Context) error {
	return c.call(ctx, request{method: "GET", path: "/readyz"}, nil)
}

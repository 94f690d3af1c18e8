package client

import (
	"context"
	"net/url"
	"time"
)

// Roles, from most to least allowed.
const (
	RoleAdmin     = "admin"
	RoleResponder = "responder"
	RoleViewer    = "viewer"
)

// User is a person who signs in to the console.
type User struct {
	ID        string    `json:"id"`
	Username  string    `json:"username"`
	Role      string    `json:"role"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// UserInput creates or changes a user; empty fields are left as they are.
type UserInput struct {
	Username string `json:"username,omitempty"`
	Password string `json:"password,omitempty"`
	Role     string `json:"role,omitempty"`
}

// APIKey is a key for the API; Key is set only in the answer that made it.
type APIKey struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Role       string     `json:"role"`
	UserID     string     `json:"user_id,omitempty"`
	Key        string     `json:"key,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

// Me is who the client's key acts as.
type Me struct {
	Actor    string `json:"actor"`
	Role     string `json:"role"`
	UserID   string `json:"user_id"`
	Username string `json:"username"`
}

// WhoAmI returns who the client's key acts as, and with which role.
func (c *Client) WhoAmI(ctx context.Context) (*Me, error) {
	var out Me
	return &out, c.call(ctx, request{method: "GET", path: path("me")}, &out)
}

// ListUsers returns one page of users.
func (c *Client) ListUsers(ctx context.Context, o ListOptions) (*Page[User], error) {
	return listPage[User](ctx, c, path("users"), url.Values{}, o)
}

// GetUser returns one user.
func (c *Client) GetUser(ctx context.Context, id string) (*User, error) {
	var out User
	return &out, c.call(ctx, request{method: "GET", path: path("users", id)}, &out)
}

// CreateUser creates a user.
func (c *Client) CreateUser(ctx context.Context, in UserInput) (*User, error) {
	var out User
	return &out, c.call(ctx, request{method: "POST", path: path("users"), body: in}, &out)
}

// UpdateUser changes a user's name, password or role.
func (c *Client) UpdateUser(ctx context.Context, id string, in UserInput) (*User, error) {
	var out User
	return &out, c.call(ctx, request{method: "PATCH", path: path("users", id), body: in}, &out)
}

// DeleteUser deletes a user and the user's API keys.
func (c *Client) DeleteUser(ctx context.Context, id string) error {
	return c.call(ctx, request{method: "DELETE", path: path("users", id)}, nil)
}

// ListAPIKeys returns one page of API keys (never the keys themselves).
func (c *Client) ListAPIKeys(ctx context.Context, o ListOptions) (*Page[APIKey], error) {
	return listPage[APIKey](ctx, c, path("api-keys"), url.Values{}, o)
}

// CreateAPIKey makes a key with at most the caller's role; the answer's Key
// is shown only this once.
func (c *Client) CreateAPIKey(ctx context.Context, name, role string) (*APIKey, error) {
	var out APIKey
	body := map[string]string{"name": name}
	if role != "" {
		body["role"] = role
	}
	return &out, c.call(ctx, request{method: "POST", path: path("api-keys"), body: body}, &out)
}

// RevokeAPIKey revokes a key at once.
func (c *Client) RevokeAPIKey(ctx context.Context, id string) error {
	return c.call(ctx, request{method: "DELETE", path: path("api-keys", id)}, nil)
}

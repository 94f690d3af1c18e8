package client

import (
	"context"
	"net/url"
)

// Object is an API object as generic JSON, for tools that work on every
// kind alike (apply, export).
type Object = map[string]any

// Collection is one kind of object the API lists, creates, changes and
// deletes by ID under /api/v1/<name>: "sources", "destinations",
// "workflows", ….
type Collection struct {
	c    *Client
	name string
}

// Collection returns the collection of the given name.
func (c *Client) Collection(name string) Collection { return Collection{c: c, name: name} }

// Name returns the collection's name.
func (r Collection) Name() string { return r.name }

// List returns every object of the collection, walking all pages.
func (r Collection) List(ctx context.Context) ([]Object, error) {
	return All(ctx, func(ctx context.Context, cursor string) (*Page[Object], error) {
		return listPage[Object](ctx, r.c, path(r.name), url.Values{}, ListOptions{Cursor: cursor, Limit: 500})
	})
}

// Get returns one object.
func (r Collection) Get(ctx context.Context, id string) (Object, error) {
	var out Object
	return out, r.c.call(ctx, request{method: "GET", path: path(r.name, id)}, &out)
}

// Create creates an object.
func (r Collection) Create(ctx context.Context, in Object) (Object, error) {
	var out Object
	return out, r.c.call(ctx, request{method: "POST", path: path(r.name), body: in}, &out)
}

// Update changes the fields of in on an object.
func (r Collection) Update(ctx context.Context, id string, in Object) (Object, error) {
	var out Object
	return out, r.c.call(ctx, request{method: "PATCH", path: path(r.name, id), body: in}, &out)
}

// Delete deletes an object.
func (r Collection) Delete(ctx context.Context, id string) error {
	return r.c.call(ctx, request{method: "DELETE", path: path(r.name, id)}, nil)
}

package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/hookhub/hookhub/client"
)

func usersList(fs *flag.FlagSet, e *env) runner {
	api, l := addAPIFlags(fs, e), addListFlags(fs)
	return func(ctx context.Context, _ []string) error {
		c, err := api.client()
		if err != nil {
			return err
		}
		return listOf(l, e, func(cursor string) (*client.Page[client.User], error) {
			return c.ListUsers(ctx, client.ListOptions{Cursor: cursor, Limit: l.limit})
		}, "ID\tUSERNAME\tROLE\tCREATED", func(u client.User) []string {
			return []string{u.ID, u.Username, u.Role, when(u.CreatedAt)}
		})
	}
}

// usersCreate reads the password from standard input, so it never shows in
// a process listing or a shell history.
func usersCreate(fs *flag.FlagSet, e *env) runner {
	api := addAPIFlags(fs, e)
	name := fs.String("username", "", "the user's `name` (required)")
	role := fs.String("role", "viewer", "`role`: admin, responder or viewer")
	return func(ctx context.Context, _ []string) error {
		if *name == "" {
			return usagef("users create: --username is required")
		}
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		password := strings.TrimRight(line, "\r\n")
		if password == "" {
			return usagef("users create: give the password on standard input (%v)", err)
		}
		c, err := api.client()
		if err != nil {
			return err
		}
		u, err := c.CreateUser(ctx, client.UserInput{Username: *name, Password: password, Role: *role})
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "created user %s (%s, %s)\n", u.ID, u.Username, u.Role)
		return nil
	}
}

func usersDelete(fs *flag.FlagSet, e *env) runner {
	api := addAPIFlags(fs, e)
	return func(ctx context.Context, args []string) error {
		c, err := api.client()
		if err != nil {
			return err
		}
		if err := c.DeleteUser(ctx, args[0]); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "deleted user %s and its API keys\n", args[0])
		return nil
	}
}

func apiKeysList(fs *flag.FlagSet, e *env) runner {
	api, l := addAPIFlags(fs, e), addListFlags(fs)
	return func(ctx context.Context, _ []string) error {
		c, err := api.client()
		if err != nil {
			return err
		}
		return listOf(l, e, func(cursor string) (*client.Page[client.APIKey], error) {
			return c.ListAPIKeys(ctx, client.ListOptions{Cursor: cursor, Limit: l.limit})
		}, "ID\tNAME\tROLE\tUSER\tLAST USED", func(k client.APIKey) []string {
			last := "-"
			if k.LastUsedAt != nil {
				last = when(*k.LastUsedAt)
			}
			return []string{k.ID, k.Name, k.Role, dash(k.UserID), last}
		})
	}
}

func apiKeysCreate(fs *flag.FlagSet, e *env) runner {
	api := addAPIFlags(fs, e)
	name := fs.String("name", "", "a `name` saying what the key is for (required)")
	role := fs.String("role", "viewer", "`role`: admin, responder or viewer; at most your own")
	return func(ctx context.Context, _ []string) error {
		if *name == "" {
			return usagef("api-keys create: --name is required")
		}
		c, err := api.client()
		if err != nil {
			return err
		}
		k, err := c.CreateAPIKey(ctx, *name, *role)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "created API key %s (%s); it is shown only now:\n", k.ID, k.Role)
		fmt.Fprintln(e.stdout, k.Key)
		return nil
	}
}

func apiKeysRevoke(fs *flag.FlagSet, e *env) runner {
	api := addAPIFlags(fs, e)
	return func(ctx context.Context, args []string) error {
		c, err := api.client()
		if err != nil {
			return err
		}
		if err := c.RevokeAPIKey(ctx, args[0]); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "revoked API key %s\n", args[0])
		return nil
	}
}

func whoamiCmd(fs *flag.FlagSet, e *env) runner {
	api := addAPIFlags(fs, e)
	return func(ctx context.Context, _ []string) error {
		c, err := api.client()
		if err != nil {
			return err
		}
		me, err := c.WhoAmI(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s (role %s) on %s\n", me.Actor, me.Role, c.BaseURL())
		return nil
	}
}

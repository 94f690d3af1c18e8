package access

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/secret"
)

// MinPasswordLength is the shortest password Hookhub accepts.
const MinPasswordLength = 10

func hashPassword(pw string) (string, error) { return secret.HashPassword(pw) }

// UserInput is a user to create, or the changes to one (empty fields stay).
type UserInput struct {
	Username string
	Password string
	Role     string
}

// CheckUsername validates a username: 1 to 64 letters, digits and . _ @ -.
func CheckUsername(name string) error {
	if name == "" || len(name) > 64 {
		return hookhub.Errorf(hookhub.EINVALID, "username is required (at most 64 characters)")
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("._@-", c)) {
			return hookhub.Errorf(hookhub.EINVALID, "username may hold only letters, digits and . _ @ -")
		}
	}
	return nil
}

// CheckPassword validates a new password's length.
func CheckPassword(pw string) error {
	if utf8.RuneCountInString(pw) < MinPasswordLength || len(pw) > 200 {
		return hookhub.Errorf(hookhub.EINVALID, "password must be %d to 200 characters", MinPasswordLength)
	}
	return nil
}

// CreateUser adds a user with at most the caller's role.
func (s *Service) CreateUser(ctx context.Context, by Caller, in UserInput) (*hookhub.User, error) {
	if in.Role == "" {
		in.Role = hookhub.RoleViewer
	}
	if err := CheckUsername(in.Username); err != nil {
		return nil, err
	}
	if err := CheckPassword(in.Password); err != nil {
		return nil, err
	}
	if err := checkRole(by, in.Role); err != nil {
		return nil, err
	}
	hash, err := s.hashPW(in.Password)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	u := &hookhub.User{ID: hookhub.NewID(hookhub.PrefixUser), Username: in.Username, PasswordHash: hash, Role: in.Role,
		CreatedAt: now, UpdatedAt: now}
	if err := s.store.CreateUser(ctx, u); err != nil {
		if hookhub.ErrorCode(err) == hookhub.ECONFLICT {
			return nil, hookhub.Errorf(hookhub.ECONFLICT, "username %q is taken", in.Username)
		}
		return nil, err
	}
	s.log.Info("user created", "user_id", u.ID, "role", u.Role, "by", by.Actor)
	return u, nil
}

func checkRole(by Caller, role string) error {
	if !hookhub.ValidRole(role) {
		return hookhub.Errorf(hookhub.EINVALID, "role must be one of admin, responder, viewer")
	}
	if !by.Can(role) {
		return hookhub.Errorf(hookhub.EFORBIDDEN, "you cannot give a role above your own (%s)", by.Role)
	}
	return nil
}

// UpdateUser changes a user's username, password or role. A new password
// ends the user's other sessions; a lower role applies to its sessions and
// keys at once.
func (s *Service) UpdateUser(ctx context.Context, by Caller, id string, in UserInput) (*hookhub.User, error) {
	u, err := s.store.GetUser(ctx, id)
	if err != nil {
		return nil, err
	}
	if in.Username != "" {
		if err := CheckUsername(in.Username); err != nil {
			return nil, err
		}
		u.Username = in.Username
	}
	if in.Role != "" {
		if err := checkRole(by, in.Role); err != nil {
			return nil, err
		}
		u.Role = in.Role
	}
	if in.Password != "" {
		if err := CheckPassword(in.Password); err != nil {
			return nil, err
		}
		if u.PasswordHash, err = s.hashPW(in.Password); err != nil {
			return nil, err
		}
	}
	u.UpdatedAt = s.now().UTC()
	if err := s.store.UpdateUser(ctx, u); err != nil {
		if hookhub.ErrorCode(err) == hookhub.ECONFLICT && strings.Contains(hookhub.ErrorMessage(err), "already exists") {
			return nil, hookhub.Errorf(hookhub.ECONFLICT, "username %q is taken", in.Username)
		}
		return nil, err
	}
	if in.Password != "" {
		except := ""
		if by.UserID == u.ID {
			except = by.SessionID
		}
		if _, err := s.store.DeleteUserSessions(ctx, u.ID, except); err != nil {
			return nil, err
		}
	}
	s.log.Info("user updated", "user_id", u.ID, "role", u.Role, "password_changed", in.Password != "", "by", by.Actor)
	return u, nil
}

// DeleteUser removes a user with its sessions and keys; nobody deletes
// themselves, and the last admin stays.
func (s *Service) DeleteUser(ctx context.Context, by Caller, id string) error {
	if by.UserID == id {
		return hookhub.Errorf(hookhub.ECONFLICT, "you cannot delete yourself")
	}
	if err := s.store.DeleteUser(ctx, id); err != nil {
		return err
	}
	s.log.Info("user deleted", "user_id", id, "by", by.Actor)
	return nil
}

// CheckUserPassword reports whether password is u's, in constant time.
func (s *Service) CheckUserPassword(u *hookhub.User, password string) bool {
	return secret.CheckPassword(u.PasswordHash, password)
}

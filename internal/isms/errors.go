package isms

import (
	"errors"
	"fmt"
	"strings"
)

// Code classifies an Error; the HTTP layer maps each code to one status.
type Code string

// Error codes. They are part of the API contract (problem+json "code").
const (
	CodeInvalid         Code = "invalid"
	CodeNotFound        Code = "not_found"
	CodeConflict        Code = "conflict"
	CodeForbidden       Code = "forbidden"
	CodeUnauthenticated Code = "unauthenticated"
	CodeInternal        Code = "internal"
	// CodePasswordChange is returned to a session that must change its
	// password before it may do anything else.
	CodePasswordChange Code = "password_change_required"
	// CodeTOTPSetup is returned to a session that must enrol a one-time
	// password generator before it may do anything else.
	CodeTOTPSetup Code = "totp_setup_required"
	// CodeTooLarge is returned for request bodies over the limit.
	CodeTooLarge Code = "too_large"
)

// Msg is a message for a person: an ID in the i18n catalogs and the values
// its text refers to. The domain never holds translated text; the surface
// that talks to the person translates.
type Msg struct {
	ID   string
	Args map[string]any
}

// M builds a Msg from an ID and alternating name, value pairs.
func M(id string, kv ...any) Msg {
	m := Msg{ID: id}
	if len(kv) > 0 {
		m.Args = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			m.Args[fmt.Sprint(kv[i])] = kv[i+1]
		}
	}
	return m
}

// FieldError says which input field broke which rule.
type FieldError struct {
	Field string
	Msg   Msg
}

// Error is the one error type that crosses layers. Message and Fields are
// safe to show to users (after translation); Err is the cause, for logs only.
type Error struct {
	Code    Code
	Message Msg
	Fields  []FieldError
	Err     error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Code))
	b.WriteString(": ")
	b.WriteString(e.Message.ID)
	for _, f := range e.Fields {
		fmt.Fprintf(&b, " [%s: %s]", f.Field, f.Msg.ID)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// ErrorCode returns the Code of err, or CodeInternal for any error that is
// not an *Error.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// AsError returns err as *Error, wrapping unknown errors as internal.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: CodeInternal, Message: M("error.internal"), Err: err}
}

// NotFound reports that an entity of the given kind does not exist (or is
// outside the caller's scope, which callers must not be able to tell apart).
func NotFound(entity string) *Error {
	return &Error{Code: CodeNotFound, Message: M("error.not_found", "entity", entity)}
}

// Forbidden reports that the caller may not do this.
func Forbidden(msg Msg) *Error { return &Error{Code: CodeForbidden, Message: msg} }

// Unauthenticated reports a missing or bad credential.
func Unauthenticated(msg Msg) *Error { return &Error{Code: CodeUnauthenticated, Message: msg} }

// Conflict reports a clash with stored state, naming the field when known.
func Conflict(field string, msg Msg) *Error {
	e := &Error{Code: CodeConflict, Message: M("error.conflict")}
	if field != "" {
		e.Fields = []FieldError{{Field: field, Msg: msg}}
	} else {
		e.Message = msg
	}
	return e
}

// Internal wraps an unexpected failure; users see a generic message.
func Internal(err error) *Error {
	return &Error{Code: CodeInternal, Message: M("error.internal"), Err: err}
}

// Invalid builds an invalid-input error with one field error.
func Invalid(field string, msg Msg) *Error {
	return &Error{Code: CodeInvalid, Message: M("error.invalid"), Fields: []FieldError{{Field: field, Msg: msg}}}
}

// Problems collects field errors during validation.
type Problems struct{ fields []FieldError }

// Add records that field broke the rule msg.
func (p *Problems) Add(field, id string, kv ...any) {
	p.fields = append(p.fields, FieldError{Field: field, Msg: M(id, kv...)})
}

// Has reports whether field already has a problem.
func (p *Problems) Has(field string) bool {
	for _, f := range p.fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// Err returns an invalid-input *Error, or nil when nothing was added.
func (p *Problems) Err() error {
	if len(p.fields) == 0 {
		return nil
	}
	return &Error{Code: CodeInvalid, Message: M("error.invalid"), Fields: p.fields}
}

// Merge adds the field errors of err, an invalid-input error from
// another check; any other error is kept as a problem on no field.
func (p *Problems) Merge(err error) {
	var e *Error
	if errors.As(err, &e) && e.Code == CodeInvalid && len(e.Fields) > 0 {
		p.fields = append(p.fields, e.Fields...)
		return
	}
	if err != nil {
		p.fields = append(p.fields, FieldError{Msg: M("error.invalid")})
	}
}

// IsNotFound reports whether err is a not-found error.
func IsNotFound(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == CodeNotFound
}

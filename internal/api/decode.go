package api

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"openisms/internal/isms"
)

// decode reads one JSON object into v, refusing unknown fields, trailing
// data, wrong types and bodies over MaxBody, each with the field named.
func decode(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, _ := mime.ParseMediaType(ct); mt != "application/json" {
			return &isms.Error{Code: isms.CodeInvalid, Message: isms.M("request.bad_content_type")}
		}
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return err // MaxBytesError becomes 413 in writeError
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return &isms.Error{Code: isms.CodeInvalid, Message: isms.M("request.trailing_data")}
	}
	return nil
}

func jsonError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "body"
		}
		return isms.Invalid(field, isms.M("request.bad_type", "type", jsonType(typeErr.Type.Kind().String())))
	case errors.As(err, &syntaxErr):
		return &isms.Error{Code: isms.CodeInvalid, Message: isms.M("request.bad_json", "detail", syntaxErr.Error()), Err: err}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return isms.Invalid(name, isms.M("request.unknown_field"))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &isms.Error{Code: isms.CodeInvalid, Message: isms.M("request.bad_json", "detail", "unexpected end of input"), Err: err}
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return err
	}
	return &isms.Error{Code: isms.CodeInvalid, Message: isms.M("request.bad_json", "detail", err.Error()), Err: err}
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "struct", "map":
		return "object"
	case "slice", "array":
		return "array"
	}
	return "number"
}

// listFilter reads the common list query: q, status, org_id,
// department_id, parent_id, limit, cursor.
func listFilter(r *http.Request, statuses ...string) (isms.ListFilter, error) {
	q := r.URL.Query()
	f := isms.ListFilter{
		Text:     q.Get("q"),
		OrgID:    q.Get("org_id"),
		DeptID:   q.Get("department_id"),
		ParentID: q.Get("parent_id"),
		Status:   q.Get("status"),
	}
	var p isms.Problems
	if f.Status != "" {
		ok := false
		for _, s := range statuses {
			ok = ok || s == f.Status
		}
		if !ok {
			p.Add("status", "field.one_of", "values", strings.Join(statuses, ", "))
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > isms.MaxPageSize {
			p.Add("limit", "field.range", "min", 1, "max", isms.MaxPageSize)
		}
		f.Limit = n
	}
	if v := q.Get("cursor"); v != "" {
		c, err := decodeCursor(v)
		if err != nil {
			p.Add("cursor", "field.bad_cursor")
		}
		f.After = c
	}
	return f, p.Err()
}

func encodeCursor(name, id string) string {
	b, _ := json.Marshal([2]string{name, id})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (isms.Cursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return isms.Cursor{}, err
	}
	var v [2]string
	if err := json.Unmarshal(b, &v); err != nil {
		return isms.Cursor{}, err
	}
	if !isms.ValidID(v[1]) {
		return isms.Cursor{}, errors.New("bad cursor id")
	}
	return isms.Cursor{Name: v[0], ID: v[1]}, nil
}

// page wraps items, with a cursor when the page is full (there may be more).
func page[T any](items []T, limit int, key func(T) (string, string)) list[T] {
	out := list[T]{Items: items}
	if out.Items == nil {
		out.Items = []T{}
	}
	if len(items) > 0 && len(items) == isms.ClampLimit(limit) {
		name, id := key(items[len(items)-1])
		out.NextCursor = encodeCursor(name, id)
	}
	return out
}

// parseTime reads an optional RFC 3339 query time.
func parseTime(p *isms.Problems, field, v string) time.Time {
	if v == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		p.Add(field, "field.bad_time")
	}
	return t
}

// uploadedFile reads the multipart field "file": a missing file is the
// client's error on that field; a body over the limit stays the limit's
// error, so the answer says the upload was too large.
func uploadedFile(r *http.Request) (multipart.File, *multipart.FileHeader, error) {
	f, h, err := r.FormFile("file")
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, nil, err
		}
		return nil, nil, isms.Invalid("file", isms.M("field.required"))
	}
	return f, h, nil
}

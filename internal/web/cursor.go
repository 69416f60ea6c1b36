package web

import (
	"encoding/base64"
	"encoding/json"

	"openisms/internal/isms"
)

// The page cursor is the last row's name and ID, as in the API.
func encodeCursor(name, id string) string {
	b, _ := json.Marshal([2]string{name, id})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (isms.Cursor, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return isms.Cursor{}, false
	}
	var v [2]string
	if json.Unmarshal(b, &v) != nil || !isms.ValidID(v[1]) {
		return isms.Cursor{}, false
	}
	return isms.Cursor{Name: v[0], ID: v[1]}, true
}

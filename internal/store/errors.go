package store

import (
	"database/sql"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"openisms/internal/isms"
)

// uniqueFields maps a unique constraint, by its PostgreSQL name or the
// text SQLite puts in its message, to the input field and the message that
// explains the rule.
var uniqueFields = []struct {
	pgName, sqliteText, field, msg string
}{
	{"organizations_credit_code", "organizations.credit_code", "credit_code", "organization.credit_code_taken"},
	{"departments_sibling_name", "departments_sibling_name", "name", "department.name_taken"},
	{"people_employee_no", "people.employee_no", "employee_no", "person.employee_no_taken"},
	{"accounts_username", "accounts.username_lower", "username", "account.username_taken"},
	{"accounts_person", "accounts.person_id", "person_id", "account.person_taken"},
}

// mapErr turns driver errors into *isms.Error: unique violations become
// conflicts on the field they concern, other constraint failures invalid
// input, everything else internal (the cause kept for the log only).
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	var ie *isms.Error
	if errors.As(err, &ie) {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return isms.Internal(err) // callers turn ErrNoRows into NotFound with the entity name
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "23505":
			return uniqueConflict(err, func(c string, _ string) bool { return c == pg.ConstraintName })
		case "23503":
			return &isms.Error{Code: isms.CodeInvalid, Message: isms.M("error.reference"), Err: err}
		case "23514", "23502":
			return &isms.Error{Code: isms.CodeInvalid, Message: isms.M("error.invalid"), Err: err}
		}
		return isms.Internal(err)
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			msg := se.Error()
			return uniqueConflict(err, func(_ string, text string) bool { return strings.Contains(msg, text) })
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return &isms.Error{Code: isms.CodeInvalid, Message: isms.M("error.reference"), Err: err}
		case sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
			return &isms.Error{Code: isms.CodeInvalid, Message: isms.M("error.invalid"), Err: err}
		}
	}
	return isms.Internal(err)
}

func uniqueConflict(err error, match func(pgName, sqliteText string) bool) error {
	for _, u := range uniqueFields {
		if match(u.pgName, u.sqliteText) {
			e := isms.Conflict(u.field, isms.M(u.msg))
			e.Err = err
			return e
		}
	}
	e := isms.Conflict("", isms.M("error.conflict"))
	e.Err = err
	return e
}

// notFound turns sql.ErrNoRows into a not-found error for entity.
func notFound(err error, entity string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return isms.NotFound(entity)
	}
	return mapErr(err)
}

// mustAffect turns an update or delete that touched no row into a
// not-found error for entity.
func mustAffect(res sql.Result, err error, entity string) error {
	if err != nil {
		return mapErr(err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return mapErr(err)
	} else if n == 0 {
		return isms.NotFound(entity)
	}
	return nil
}

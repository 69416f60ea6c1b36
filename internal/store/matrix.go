package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"openisms/internal/isms"
)

// MatrixRows lists an organization's live matrix rows in order.
func (s *Store) MatrixRows(ctx context.Context, orgID string) ([]isms.MatrixRow, error) {
	return matrixRows(ctx, s.read, orgID)
}

// MatrixRows lists the rows in the transaction.
func (tx *Tx) MatrixRows(ctx context.Context, orgID string) ([]isms.MatrixRow, error) {
	return matrixRows(ctx, tx.tx, orgID)
}

func matrixRows(ctx context.Context, q queryer, orgID string) ([]isms.MatrixRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, org_id, key, title_zh, title_en, position, created_at FROM matrix_rows
		WHERE org_id = $1 AND archived_at IS NULL ORDER BY position, key LIMIT 2000`, orgID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []isms.MatrixRow
	for rows.Next() {
		var r isms.MatrixRow
		if err := rows.Scan(&r.ID, &r.OrgID, &r.Key, &r.TitleZH, &r.TitleEN, &r.Position, &r.CreatedAt); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, r)
	}
	return out, mapErr(rows.Err())
}

// MatrixCells returns every mark of an organization's matrix.
func (s *Store) MatrixCells(ctx context.Context, orgID string) (map[string]map[string]string, error) {
	return matrixCells(ctx, s.read, orgID)
}

// MatrixCells returns the marks in the transaction.
func (tx *Tx) MatrixCells(ctx context.Context, orgID string) (map[string]map[string]string, error) {
	return matrixCells(ctx, tx.tx, orgID)
}

func matrixCells(ctx context.Context, q queryer, orgID string) (map[string]map[string]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.row_id, c.dept_id, c.mark FROM matrix_cells c
		JOIN matrix_rows r ON r.id = c.row_id WHERE r.org_id = $1`, orgID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := map[string]map[string]string{}
	for rows.Next() {
		var row, dept, mark string
		if err := rows.Scan(&row, &dept, &mark); err != nil {
			return nil, mapErr(err)
		}
		if out[row] == nil {
			out[row] = map[string]string{}
		}
		out[row][dept] = mark
	}
	return out, mapErr(rows.Err())
}

// CreateMatrixRow inserts a row.
func (tx *Tx) CreateMatrixRow(ctx context.Context, r *isms.MatrixRow) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO matrix_rows (id, org_id, key, title_zh, title_en, position, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, r.ID, r.OrgID, r.Key, r.TitleZH, r.TitleEN, r.Position, r.CreatedAt)
	if isms.ErrorCode(mapErr(err)) == isms.CodeConflict {
		return isms.Conflict("key", isms.M("matrix.key_taken"))
	}
	return mapErr(err)
}

// MatrixRow reads one row.
func (tx *Tx) MatrixRow(ctx context.Context, id string) (isms.MatrixRow, error) {
	var r isms.MatrixRow
	err := tx.tx.QueryRowContext(ctx, `SELECT id, org_id, key, title_zh, title_en, position, created_at FROM matrix_rows
		WHERE id = $1 AND archived_at IS NULL`, id).Scan(&r.ID, &r.OrgID, &r.Key, &r.TitleZH, &r.TitleEN, &r.Position, &r.CreatedAt)
	if err != nil {
		return r, notFound(err, "matrix_row")
	}
	return r, nil
}

// SetMatrixCell writes one mark; a blank mark removes the cell.
func (tx *Tx) SetMatrixCell(ctx context.Context, rowID, deptID, mark string, at time.Time) error {
	var err error
	if mark == "" {
		_, err = tx.tx.ExecContext(ctx, `DELETE FROM matrix_cells WHERE row_id = $1 AND dept_id = $2`, rowID, deptID)
	} else {
		_, err = tx.tx.ExecContext(ctx, `INSERT INTO matrix_cells (row_id, dept_id, mark, updated_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (row_id, dept_id) DO UPDATE SET mark = excluded.mark, updated_at = excluded.updated_at`, rowID, deptID, mark, at)
	}
	return mapErr(err)
}

// NextMatrixPosition is the position after the last row.
func (tx *Tx) NextMatrixPosition(ctx context.Context, orgID string) (int, error) {
	var n int
	err := tx.tx.QueryRowContext(ctx, `SELECT coalesce(max(position), 0) + 1 FROM matrix_rows WHERE org_id = $1`, orgID).Scan(&n)
	return n, mapErr(err)
}

// MatrixCell reads one mark ("" when the cell is blank).
func (tx *Tx) MatrixCell(ctx context.Context, rowID, deptID string) (string, error) {
	var mark string
	err := tx.tx.QueryRowContext(ctx, `SELECT mark FROM matrix_cells WHERE row_id = $1 AND dept_id = $2`, rowID, deptID).Scan(&mark)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return mark, mapErr(err)
}

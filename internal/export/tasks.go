// Package export writes registers to files people open in Excel: XLSX
// through excelize's stream writer, so a large register never sits in
// memory as a whole.
package export

import (
	"io"
	"time"

	"openisms/internal/isms"
)

// TaskHeaders are the columns of a task export, Chinese / English.
var TaskHeaders = []string{"事项 Task", "英文名 English", "到期 Due", "负责角色 Role", "状态 Status", "完成情况 Evidence",
	"跳过理由 Skip reason", "完成人 Completed by", "完成时间 Completed at", "升级级别 Escalation"}

// Tasks writes tasks as one sheet, times in loc.
func Tasks(w io.Writer, tasks []isms.Task, loc *time.Location) error {
	b, err := newBook("Sheet1")
	if err != nil {
		return err
	}
	defer b.Close()
	if err := b.header(TaskHeaders); err != nil {
		return err
	}
	for _, t := range tasks {
		completed := ""
		if t.CompletedAt != nil {
			completed = t.CompletedAt.In(loc).Format("2006-01-02 15:04")
		}
		if err := b.put(t.TitleZH, t.TitleEN, t.DueAt.In(loc).Format("2006-01-02 15:04"), string(t.AssigneeRole),
			string(t.Status), t.Evidence, t.SkipReason, t.CompletedBy, completed, t.EscalationLevel); err != nil {
			return err
		}
	}
	return b.finish(w)
}

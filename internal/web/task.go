package web

import (
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"openisms/internal/export"
	"openisms/internal/isms"
	"openisms/internal/service"
)

type tasksData struct {
	Overdue, Today, Week, Later []isms.Task
	Waiting                     []isms.Task // skip requested
	Now                         time.Time
}

// tasks is "my tasks": overdue, today, this week, later.
func (wb *Web) tasks(w http.ResponseWriter, r *req) error {
	all, err := wb.svc.ListTasks(r.Context(), r.Actor, service.ViewMine, time.Time{}, time.Time{})
	if err != nil {
		return err
	}
	now := wb.svc.Clock().Now()
	local := now.In(displayZone)
	endOfDay := time.Date(local.Year(), local.Month(), local.Day()+1, 0, 0, 0, 0, displayZone)
	endOfWeek := endOfDay.AddDate(0, 0, (7-int(local.Weekday()))%7)
	d := tasksData{Now: now}
	for _, t := range all {
		switch {
		case t.Status == isms.TaskSkipRequested:
			d.Waiting = append(d.Waiting, t)
		case t.Overdue(now):
			d.Overdue = append(d.Overdue, t)
		case t.DueAt.Before(endOfDay):
			d.Today = append(d.Today, t)
		case t.DueAt.Before(endOfWeek):
			d.Week = append(d.Week, t)
		default:
			d.Later = append(d.Later, t)
		}
	}
	return wb.render(w, r, http.StatusOK, "tasks/mine", page{Title: "ui.nav.tasks", Data: d})
}

// departmentTasks lists the open tasks of the actor's department.
func (wb *Web) departmentTasks(w http.ResponseWriter, r *req) error {
	tasks, err := wb.svc.ListTasks(r.Context(), r.Actor, service.ViewDept, time.Time{}, time.Time{})
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "tasks/board", page{Title: "ui.tasks.department", Data: tasks,
		Form: map[string]string{"view": "department"}})
}

// board is the ISMS team's overdue board.
func (wb *Web) board(w http.ResponseWriter, r *req) error {
	overdue, err := wb.svc.ListTasks(r.Context(), r.Actor, service.ViewOverdue, time.Time{}, time.Time{})
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "tasks/board", page{Title: "ui.tasks.board", Data: overdue,
		Form: map[string]string{"view": "overdue"}})
}

type calendarDay struct {
	Day   int
	Today bool
	Tasks []service.CalendarEntry
}

type calendarData struct {
	Month      time.Time
	Prev, Next string
	Weeks      [][]*calendarDay // Monday first; nil cells pad the month
}

// calendar shows a month of tasks: the organization's for those who may
// see all tasks, one's own otherwise.
func (wb *Web) calendar(w http.ResponseWriter, r *req) error {
	now := wb.svc.Clock().Now().In(displayZone)
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, displayZone)
	if m, err := time.ParseInLocation("2006-01", r.URL.Query().Get("month"), displayZone); err == nil {
		month = m
	}
	end := month.AddDate(0, 1, 0)
	tasks, err := wb.svc.Calendar(r.Context(), r.Actor, month, end)
	if err != nil {
		return err
	}
	days := map[int]*calendarDay{}
	for d := 1; d <= end.AddDate(0, 0, -1).Day(); d++ {
		days[d] = &calendarDay{Day: d, Today: month.Year() == now.Year() && month.Month() == now.Month() && d == now.Day()}
	}
	for _, t := range tasks {
		days[t.DueAt.In(displayZone).Day()].Tasks = append(days[t.DueAt.In(displayZone).Day()].Tasks, t)
	}
	var weeks [][]*calendarDay
	week := make([]*calendarDay, (int(month.Weekday())+6)%7) // blanks before the 1st (Monday first)
	for d := 1; d <= len(days); d++ {
		week = append(week, days[d])
		if len(week) == 7 {
			weeks, week = append(weeks, week), nil
		}
	}
	if len(week) > 0 {
		weeks = append(weeks, append(week, make([]*calendarDay, 7-len(week))...))
	}
	return wb.render(w, r, http.StatusOK, "tasks/calendar", page{Title: "ui.nav.calendar", Data: calendarData{Month: month,
		Prev: month.AddDate(0, -1, 0).Format("2006-01"), Next: end.Format("2006-01"), Weeks: weeks}})
}

type taskData struct {
	Task        isms.Task
	CanWork     bool
	Attachments []isms.Attachment
	Evidence    isms.EvidenceKind
}

// taskPage loads a task with its evidence files and what its duty asks for.
func (wb *Web) taskPage(r *req, t isms.Task) (page, error) {
	files, err := wb.svc.TaskAttachments(r.Context(), r.Actor, t.ID)
	if err != nil {
		return page{}, err
	}
	d := taskData{Task: t, Attachments: files, Evidence: isms.EvidenceNote,
		CanWork: t.Status == isms.TaskOpen && (t.AssigneeAccount == r.Actor.AccountID || t.AssigneeAccount == "" && r.Actor.HasRole(t.AssigneeRole))}
	if t.ObligationID != "" {
		if o, err := wb.svc.Obligation(r.Context(), r.Actor, t.ObligationID); err == nil {
			d.Evidence = o.Evidence
		}
	}
	return page{Title: "ui.tasks.task", Data: d}, nil
}

// uploadEvidence attaches a file to a task.
func (wb *Web) uploadEvidence(w http.ResponseWriter, r *req) error {
	id := r.PathValue("id")
	t, err := wb.svc.Task(r.Context(), r.Actor, id)
	if err != nil {
		return err
	}
	p, err := wb.taskPage(r, t)
	if err != nil {
		return err
	}
	if !p.Data.(taskData).CanWork {
		return isms.Forbidden(isms.M("task.not_assignee"))
	}
	file, header, err := r.FormFile("file")
	if err != nil {
		return wb.formError(w, r, "tasks/detail", p, isms.Invalid("file", isms.M("field.required")))
	}
	defer file.Close()
	if _, err := wb.svc.AttachToTask(r.Context(), r.Actor, id, header.Filename, file); err != nil {
		return wb.formError(w, r, "tasks/detail", p, err)
	}
	return redirect(w, r, "/tasks/"+id, "ui.flash.attached")
}

// attachment serves a stored file as a download, never rendered in the
// page's origin.
func (wb *Web) attachment(w http.ResponseWriter, r *req) error {
	att, f, err := wb.svc.OpenAttachment(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	defer f.Close()
	w.Header().Set("Content-Type", att.ContentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": att.Filename}))
	w.Header().Set("Content-Security-Policy", "sandbox; default-src 'none'")
	w.Header().Set("Content-Length", strconv.FormatInt(att.Size, 10))
	_, err = io.Copy(w, f)
	return err
}

func (wb *Web) task(w http.ResponseWriter, r *req) error {
	t, err := wb.svc.Task(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	p, err := wb.taskPage(r, t)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "tasks/detail", p)
}

// taskError shows the task page again with err and the submitted form.
func (wb *Web) taskError(w http.ResponseWriter, r *req, id string, form map[string]string, err error) error {
	t, gerr := wb.svc.Task(r.Context(), r.Actor, id)
	if gerr != nil {
		return gerr
	}
	p, perr := wb.taskPage(r, t)
	if perr != nil {
		return perr
	}
	p.Form = form
	return wb.formError(w, r, "tasks/detail", p, err)
}

func (wb *Web) completeTask(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if _, err := wb.svc.CompleteTask(r.Context(), r.Actor, id, f.Get("evidence")); err != nil {
		return wb.taskError(w, r, id, map[string]string{"evidence": f.Get("evidence")}, err)
	}
	return redirect(w, r, "/tasks", "ui.flash.task_done")
}

func (wb *Web) skipTask(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if _, err := wb.svc.RequestSkip(r.Context(), r.Actor, id, f.Get("reason")); err != nil {
		return wb.taskError(w, r, id, nil, err)
	}
	return redirect(w, r, "/tasks", "ui.flash.skip_requested")
}

func (wb *Web) inbox(w http.ResponseWriter, r *req) error {
	items, err := wb.svc.Inbox(r.Context(), r.Actor, false)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "inbox", page{Title: "ui.nav.inbox", Data: items})
}

func (wb *Web) readAll(w http.ResponseWriter, r *req) error {
	if err := wb.svc.MarkRead(r.Context(), r.Actor, ""); err != nil {
		return err
	}
	return redirect(w, r, "/inbox", "")
}

// tasksXLSX exports tasks with the page's filters: view (mine, overdue,
// all) and a due range (from, to as dates).
func (wb *Web) tasksXLSX(w http.ResponseWriter, r *req) error {
	q := r.URL.Query()
	view := service.TaskView(q.Get("view"))
	if view == "" {
		view = service.ViewMine
	}
	var from, to time.Time
	if d, err := time.ParseInLocation("2006-01-02", q.Get("from"), displayZone); err == nil {
		from = d
	}
	if d, err := time.ParseInLocation("2006-01-02", q.Get("to"), displayZone); err == nil {
		to = d.AddDate(0, 0, 1)
	}
	tasks, err := wb.svc.ListTasks(r.Context(), r.Actor, view, from, to)
	if err != nil {
		return err
	}
	attachXLSX(w, wb.dated("tasks-"+string(view)))
	return export.Tasks(w, tasks, displayZone)
}

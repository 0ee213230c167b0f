package main

import (
	"fmt"
	"log"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// Asynchronous tasks. vcsim finishes every task before the method returns.
// For a method given a delay (POST /hvd-sim/task-delay), the front handler
// answers with a task of its own that stays "running", updating
// info.progress in steps through simulator.Map.Update (so WaitForUpdatesEx
// sees it), blocks while the VM has a pending question, and at the end runs
// the real method through vcsim and takes its outcome. CancelTask cancels
// such a task before the effect happens (error RequestCanceled).

type delaySpec struct {
	Method     string `json:"method"`
	MS         int    `json:"ms"`
	Steps      int    `json:"steps"`
	Cancelable *bool  `json:"cancelable,omitempty"`
}

type runningTask struct {
	task       *simulator.Task
	questionID string // a question this task raised (questions.go)
	cancel     chan struct{}
	cancelOnce sync.Once
	mu         sync.Mutex
	cancelable bool
}

type taskRunner struct {
	mu      sync.Mutex
	delays  map[string]delaySpec
	running map[string]*runningTask // by task moref value
}

func (f *front) registerTasks() {
	t := &taskRunner{delays: make(map[string]delaySpec), running: make(map[string]*runningTask)}
	f.tasks = t
	f.handle("CancelTask", func(c *soapCall) { t.cancelTask(f, c) })
	f.control.HandleFunc(controlPrefix+"/task-delay", t.controlTaskDelay)
}

// POST /hvd-sim/task-delay {"method":"PowerOnVM_Task","ms":2000,"steps":5,"cancelable":true}
// GET  /hvd-sim/task-delay  lists the delays.
func (t *taskRunner) controlTaskDelay(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		t.mu.Lock()
		list := make([]delaySpec, 0, len(t.delays))
		for _, d := range t.delays {
			list = append(list, d)
		}
		t.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]interface{}{"delays": list})
		return
	}
	var d delaySpec
	if !readJSON(w, r, &d) {
		return
	}
	if !strings.HasSuffix(d.Method, "_Task") {
		writeJSONError(w, http.StatusBadRequest, fmt.Errorf("method %q is not a task method (NAME_Task)", d.Method))
		return
	}
	if d.MS < 0 || d.Steps < 0 || d.MS > 10*60*1000 {
		writeJSONError(w, http.StatusBadRequest, fmt.Errorf("ms must be 0..600000 and steps >= 0"))
		return
	}
	if d.Steps == 0 {
		d.Steps = 1
	}
	t.mu.Lock()
	if d.MS == 0 {
		delete(t.delays, d.Method)
	} else {
		t.delays[d.Method] = d
	}
	t.mu.Unlock()
	writeJSON(w, http.StatusOK, d)
}

func (t *taskRunner) delayFor(method string) (delaySpec, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	d, ok := t.delays[method]
	return d, ok
}

// taskEffect performs what a task does once its delay is over, and returns
// the task's result or fault.
type taskEffect func() (types.AnyType, *types.LocalizedMethodFault)

// start answers a delayed task method with a new running task whose effect
// is running the request through vcsim.
func (t *taskRunner) start(f *front, c *soapCall, d delaySpec) {
	// vcsim runs the method later with this request's cookies; the response
	// writer is done by then.
	orig := c.r.Clone(c.r.Context())
	body := c.body
	t.startWith(f, c, d, func() (types.AnyType, *types.LocalizedMethodFault) {
		return f.runInVcsim(orig, body)
	})
}

// startWith answers a task method with a new task that runs effect after
// the delay d (at once, before answering, if d.MS is 0).
func (t *taskRunner) startWith(f *front, c *soapCall, d delaySpec, effect taskEffect) {
	this, _, ok := f.decode(c)
	if !ok || !f.requireSession(c, this) {
		return
	}
	obj := simulator.Map.Get(this)
	if obj == nil {
		writeNotFound(c.w, this)
		return
	}

	task := simulator.CreateTask(obj, strings.TrimSuffix(c.method, "_Task"), nil)
	cancelable := d.MS > 0 && (d.Cancelable == nil || *d.Cancelable)
	simulator.Map.WithLock(task, func() {
		task.Info.Name = c.method
		task.Info.DescriptionId = descriptionID(this.Type, c.method)
		task.Info.Cancelable = cancelable
	})
	// Running before the method returns, so a client never sees "queued".
	updateTask(task, []types.PropertyChange{
		{Name: "info.startTime", Val: time.Now()},
		{Name: "info.state", Val: types.TaskInfoStateRunning},
		{Name: "info.progress", Val: int32(0)},
	})
	rt := &runningTask{task: task, cancel: make(chan struct{}), cancelable: cancelable}

	if d.MS == 0 {
		result, fault := effect()
		finish(task, result, fault)
	} else {
		t.mu.Lock()
		t.running[task.Self.Value] = rt
		t.mu.Unlock()
		// An armed question (questions.go) appears as the task starts.
		rt.questionID = f.questions.raiseArmed(this, c.method)
		go func() {
			t.run(rt, d, this, effect)
			t.mu.Lock()
			delete(t.running, task.Self.Value)
			t.mu.Unlock()
		}()
	}

	writeRawResponse(c.w, []byte(fmt.Sprintf(
		`<%sResponse xmlns="%s"><returnval type="Task">%s</returnval></%sResponse>`,
		c.method, vimNamespace, task.Self.Value, c.method)))
}

// descriptionID is ESX's TaskInfo.descriptionId, e.g. "VirtualMachine.powerOn".
func descriptionID(kind, method string) string {
	name := strings.TrimSuffix(method, "_Task")
	name = strings.TrimSuffix(name, "VM")
	if name == "" {
		return kind
	}
	return kind + "." + strings.ToLower(name[:1]) + name[1:]
}

func (t *taskRunner) run(rt *runningTask, d delaySpec, this types.ManagedObjectReference, effect taskEffect) {
	task := rt.task
	step := time.Duration(d.MS) * time.Millisecond / time.Duration(d.Steps)
	for i := 1; i <= d.Steps; i++ {
		if !waitNoQuestion(this, rt.cancel) {
			t.finishCanceled(rt, this)
			return
		}
		select {
		case <-rt.cancel:
			t.finishCanceled(rt, this)
			return
		case <-time.After(step):
		}
		if i < d.Steps {
			updateTask(task, []types.PropertyChange{
				{Name: "info.progress", Val: int32(i * 100 / d.Steps)},
			})
		}
	}
	if !waitNoQuestion(this, rt.cancel) {
		t.finishCanceled(rt, this)
		return
	}

	// From here on the effect happens: too late to cancel.
	rt.mu.Lock()
	rt.cancelable = false
	rt.mu.Unlock()
	select {
	case <-rt.cancel:
		t.finishCanceled(rt, this)
		return
	default:
	}
	updateTask(task, []types.PropertyChange{{Name: "info.cancelable", Val: false}})

	result, fault := effect()
	finish(task, result, fault)
}

// runInVcsim invokes the original request on vcsim and returns the outcome of
// the task it ran (or of the method, if it faulted without a task).
func (f *front) runInVcsim(orig *http.Request, body []byte) (types.AnyType, *types.LocalizedMethodFault) {
	rec := f.invoke(orig, body)
	res, err := decodeResult(rec.Body)
	if err != nil {
		log.Print(err)
		return nil, &types.LocalizedMethodFault{Fault: &types.SystemError{Reason: err.Error()}, LocalizedMessage: err.Error()}
	}
	if msg, fault := res.fault(); fault != nil {
		return nil, &types.LocalizedMethodFault{Fault: fault, LocalizedMessage: msg}
	}
	if res.Body.Res == nil || res.Body.Res.Returnval == nil {
		return nil, nil
	}
	inner, ok := simulator.Map.Get(*res.Body.Res.Returnval).(*simulator.Task)
	if !ok {
		return *res.Body.Res.Returnval, nil
	}
	var result types.AnyType
	var fault *types.LocalizedMethodFault
	simulator.Map.WithLock(inner, func() {
		result = inner.Info.Result
		fault = inner.Info.Error
	})
	return result, fault
}

func finish(task *simulator.Task, result types.AnyType, fault *types.LocalizedMethodFault) {
	state := types.TaskInfoStateSuccess
	var errVal interface{}
	if fault != nil {
		state = types.TaskInfoStateError
		errVal = *fault
	}
	changes := []types.PropertyChange{
		{Name: "info.completeTime", Val: time.Now()},
		{Name: "info.state", Val: state},
		{Name: "info.result", Val: result},
		{Name: "info.error", Val: errVal},
	}
	if fault == nil {
		changes = append(changes, types.PropertyChange{Name: "info.progress", Val: int32(100)})
	}
	updateTask(task, changes)
}

func (t *taskRunner) finishCanceled(rt *runningTask, entity types.ManagedObjectReference) {
	withdraw(entity, rt.questionID)
	finish(rt.task, nil, &types.LocalizedMethodFault{
		Fault:            &types.RequestCanceled{},
		LocalizedMessage: "The task was canceled by a user.",
	})
}

// CancelTask: a running delayed task is canceled; a finished one is
// InvalidState; a task that cannot be canceled is NotSupported.
func (t *taskRunner) cancelTask(f *front, c *soapCall) {
	this, _, ok := f.decode(c)
	if !ok || !f.requireSession(c, this) {
		return
	}
	t.mu.Lock()
	rt := t.running[this.Value]
	t.mu.Unlock()
	if rt == nil {
		task, isTask := simulator.Map.Get(this).(*simulator.Task)
		if !isTask {
			writeNotFound(c.w, this)
			return
		}
		var state types.TaskInfoState
		simulator.Map.WithLock(task, func() { state = task.Info.State })
		writeFault(c.w, fmt.Sprintf("task %s is in state %s", this.Value, state), &types.InvalidState{})
		return
	}
	rt.mu.Lock()
	cancelable := rt.cancelable
	if cancelable {
		rt.cancelOnce.Do(func() { close(rt.cancel) })
	}
	rt.mu.Unlock()
	if !cancelable {
		writeFault(c.w, fmt.Sprintf("task %s cannot be canceled", this.Value), &types.NotSupported{})
		return
	}
	updateTask(rt.task, []types.PropertyChange{{Name: "info.cancelled", Val: true}})
	writeResponse(c.w, &types.CancelTaskResponse{})
}

// updateTask applies changes under the task's lock, as vcsim's property
// collector reads objects under theirs, and notifies property filters.
func updateTask(task *simulator.Task, changes []types.PropertyChange) {
	simulator.Map.WithLock(task, func() { simulator.Map.Update(task, changes) })
}

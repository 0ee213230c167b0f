package main

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// Questions. vcsim never sets runtime.question and has no AnswerVM. The
// control endpoint raises a question on a VM; AnswerVM answers it as ESX
// does (InvalidArgument for a wrong question id or choice); a delayed task
// on a VM (tasks.go) does not progress while the VM has a pending question.

type choiceSpec struct {
	Key     string `json:"key"`
	Label   string `json:"label"`
	Summary string `json:"summary"`
}

type questionSpec struct {
	VM string `json:"vm"`
	// On arms the question instead: it is raised when a task of this
	// method (e.g. "PowerOnVM_Task") next starts on the VM, as ESX asks
	// during a power-on, and blocks that task until answered.
	On      string       `json:"on,omitempty"`
	ID      string       `json:"id,omitempty"`
	Text    string       `json:"text"`
	Choices []choiceSpec `json:"choices"`
	Default *int         `json:"default,omitempty"`
}

type answerRecord struct {
	VM         string    `json:"vm"`
	QuestionID string    `json:"id"`
	Choice     string    `json:"choice"`
	Time       time.Time `json:"time"`
}

type armedQuestion struct {
	method string
	info   *types.VirtualMachineQuestionInfo
}

type questions struct {
	mu      sync.Mutex
	nextID  int
	answers []answerRecord
	armed   map[string][]armedQuestion // by VM moref value
}

// The question ESX asks when a VM's files were moved or copied, the one the
// driver most often meets.
var uuidQuestion = questionSpec{
	Text: "msg.uuid.altered:This virtual machine might have been moved or copied.\n" +
		"In order to configure certain management and networking features, VMware ESX needs to know if this virtual machine was moved or copied.\n\n" +
		"If you don't know, answer \"I Copied It\".",
	Choices: []choiceSpec{
		{Key: "0", Label: "button.uuid.cancel", Summary: "Cancel"},
		{Key: "1", Label: "button.uuid.movedTheVM", Summary: "I Moved It"},
		{Key: "2", Label: "button.uuid.copiedTheVM", Summary: "I Copied It"},
	},
}

const uuidQuestionDefault = 2

func (f *front) registerQuestions() {
	q := &questions{nextID: 1, armed: make(map[string][]armedQuestion)}
	f.questions = q
	f.handle("AnswerVM", func(c *soapCall) { q.answerVM(f, c) })
	f.control.HandleFunc(controlPrefix+"/question", q.controlQuestion)
}

// findVM finds a VM by moref value (vm-42) or name.
func findVM(nameOrRef string) (*simulator.VirtualMachine, error) {
	if obj, ok := simulator.Map.Get(types.ManagedObjectReference{Type: "VirtualMachine", Value: nameOrRef}).(*simulator.VirtualMachine); ok {
		return obj, nil
	}
	for _, e := range simulator.Map.All("VirtualMachine") {
		if vm, ok := e.(*simulator.VirtualMachine); ok && vm.Name == nameOrRef {
			return vm, nil
		}
	}
	return nil, fmt.Errorf("no VM named or with moref %q", nameOrRef)
}

// pendingQuestion returns the VM's question, read under its lock.
func pendingQuestion(vm *simulator.VirtualMachine) *types.VirtualMachineQuestionInfo {
	var q *types.VirtualMachineQuestionInfo
	simulator.Map.WithLock(vm, func() { q = vm.Runtime.Question })
	return q
}

func setQuestion(vm *simulator.VirtualMachine, q *types.VirtualMachineQuestionInfo) {
	var val interface{}
	if q != nil {
		val = *q
	}
	simulator.Map.WithLock(vm, func() {
		simulator.Map.Update(vm, []types.PropertyChange{
			{Name: "runtime.question", Val: val},
			{Name: "summary.runtime.question", Val: val},
		})
	})
}

// waitNoQuestion blocks while the entity (if a VM) has a pending question.
// It returns false if cancel was closed meanwhile.
func waitNoQuestion(ref types.ManagedObjectReference, cancel <-chan struct{}) bool {
	vm, ok := simulator.Map.Get(ref).(*simulator.VirtualMachine)
	if !ok {
		return true
	}
	for pendingQuestion(vm) != nil {
		select {
		case <-cancel:
			return false
		case <-time.After(50 * time.Millisecond):
		}
	}
	return true
}

// POST /hvd-sim/question {"vm":..,"id":..,"text":..,"choices":[{"key","label","summary"}],"default":N}
// GET  /hvd-sim/question?vm=NAME  the pending question and the answers given so far.
func (q *questions) controlQuestion(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		q.showQuestion(w, r)
		return
	}
	var spec questionSpec
	if !readJSON(w, r, &spec) {
		return
	}
	vm, err := findVM(spec.VM)
	if err != nil {
		writeJSONError(w, http.StatusNotFound, err)
		return
	}
	if len(spec.Choices) == 0 {
		spec.Choices = uuidQuestion.Choices
		if spec.Default == nil {
			d := uuidQuestionDefault
			spec.Default = &d
		}
	}
	if spec.Text == "" {
		spec.Text = uuidQuestion.Text
	}
	def := 0
	if spec.Default != nil {
		def = *spec.Default
	}
	if def < 0 || def >= len(spec.Choices) {
		writeJSONError(w, http.StatusBadRequest, fmt.Errorf("default %d is not an index into the %d choices", def, len(spec.Choices)))
		return
	}
	q.mu.Lock()
	if spec.ID == "" {
		spec.ID = strconv.Itoa(q.nextID)
		q.nextID++
	}
	q.mu.Unlock()

	info := &types.VirtualMachineQuestionInfo{
		Id:   spec.ID,
		Text: spec.Text,
		Choice: types.ChoiceOption{
			OptionType:   types.OptionType{ValueIsReadonly: types.NewBool(false)},
			DefaultIndex: int32(def),
		},
	}
	for _, c := range spec.Choices {
		info.Choice.ChoiceInfo = append(info.Choice.ChoiceInfo, &types.ElementDescription{
			Description: types.Description{Label: c.Label, Summary: c.Summary},
			Key:         c.Key,
		})
	}
	if spec.On != "" {
		q.mu.Lock()
		q.armed[vm.Self.Value] = append(q.armed[vm.Self.Value], armedQuestion{method: spec.On, info: info})
		q.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]string{"id": spec.ID, "vm": vm.Self.Value, "on": spec.On})
		return
	}
	setQuestion(vm, info)
	writeJSON(w, http.StatusOK, map[string]string{"id": spec.ID, "vm": vm.Self.Value})
}

// armedFor reports whether a question waits for a task of method on any VM.
func (q *questions) armedFor(method string) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, list := range q.armed {
		for _, a := range list {
			if a.method == method {
				return true
			}
		}
	}
	return false
}

// raiseArmed raises the first question armed for a task of method on the
// entity, if it is a VM, and returns its id ("" if none).
func (q *questions) raiseArmed(ref types.ManagedObjectReference, method string) string {
	vm, ok := simulator.Map.Get(ref).(*simulator.VirtualMachine)
	if !ok {
		return ""
	}
	var info *types.VirtualMachineQuestionInfo
	q.mu.Lock()
	list := q.armed[ref.Value]
	for i, a := range list {
		if a.method == method {
			info = a.info
			q.armed[ref.Value] = append(list[:i:i], list[i+1:]...)
			break
		}
	}
	q.mu.Unlock()
	if info == nil {
		return ""
	}
	setQuestion(vm, info)
	return info.Id
}

// withdraw clears the VM's pending question if it is still question id:
// when the task that raised it is cancelled, ESX drops the question too.
func withdraw(ref types.ManagedObjectReference, id string) {
	vm, ok := simulator.Map.Get(ref).(*simulator.VirtualMachine)
	if !ok || id == "" {
		return
	}
	simulator.Map.WithLock(vm, func() {
		if p := vm.Runtime.Question; p != nil && p.Id == id {
			simulator.Map.Update(vm, []types.PropertyChange{
				{Name: "runtime.question", Val: nil},
				{Name: "summary.runtime.question", Val: nil},
			})
		}
	})
}

func (q *questions) showQuestion(w http.ResponseWriter, r *http.Request) {
	vm, err := findVM(r.URL.Query().Get("vm"))
	if err != nil {
		writeJSONError(w, http.StatusNotFound, err)
		return
	}
	out := struct {
		VM       string          `json:"vm"`
		Question *questionSpec   `json:"question"`
		Armed    []*questionSpec `json:"armed"`
		Answers  []answerRecord  `json:"answers"`
	}{VM: vm.Self.Value, Armed: []*questionSpec{}, Answers: []answerRecord{}}
	if p := pendingQuestion(vm); p != nil {
		out.Question = specOf(vm, p, "")
	}
	q.mu.Lock()
	for _, a := range q.armed[vm.Self.Value] {
		out.Armed = append(out.Armed, specOf(vm, a.info, a.method))
	}
	for _, a := range q.answers {
		if a.VM == vm.Self.Value {
			out.Answers = append(out.Answers, a)
		}
	}
	q.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

func specOf(vm *simulator.VirtualMachine, p *types.VirtualMachineQuestionInfo, on string) *questionSpec {
	def := int(p.Choice.DefaultIndex)
	spec := &questionSpec{VM: vm.Self.Value, On: on, ID: p.Id, Text: p.Text, Default: &def}
	for _, c := range p.Choice.ChoiceInfo {
		d := c.GetElementDescription()
		spec.Choices = append(spec.Choices, choiceSpec{Key: d.Key, Label: d.Label, Summary: d.Summary})
	}
	return spec
}

// AnswerVM(vm, questionId, answerChoice)
func (q *questions) answerVM(f *front, c *soapCall) {
	vm, body, ok := f.vmCall(c)
	if !ok {
		return
	}
	req := body.(*types.AnswerVM)

	var fault types.BaseMethodFault
	var msg string
	simulator.Map.WithLock(vm, func() {
		p := vm.Runtime.Question
		if p == nil || p.Id != req.QuestionId {
			msg = fmt.Sprintf("VM %s has no pending question %q", vm.Name, req.QuestionId)
			fault = &types.InvalidArgument{InvalidProperty: "questionId"}
			return
		}
		valid := false
		for _, ch := range p.Choice.ChoiceInfo {
			valid = valid || ch.GetElementDescription().Key == req.AnswerChoice
		}
		if !valid {
			msg = fmt.Sprintf("%q is not a choice of question %q", req.AnswerChoice, req.QuestionId)
			fault = &types.InvalidArgument{InvalidProperty: "answerChoice"}
			return
		}
		simulator.Map.Update(vm, []types.PropertyChange{
			{Name: "runtime.question", Val: nil},
			{Name: "summary.runtime.question", Val: nil},
		})
	})
	if fault != nil {
		writeFault(c.w, msg, fault)
		return
	}
	q.mu.Lock()
	q.answers = append(q.answers, answerRecord{VM: vm.Self.Value, QuestionID: req.QuestionId, Choice: req.AnswerChoice, Time: time.Now()})
	q.mu.Unlock()
	writeResponse(c.w, &types.AnswerVMResponse{})
}

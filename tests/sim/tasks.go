package main

func (f *front) registerTasks() {}

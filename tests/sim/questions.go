package main

func (f *front) registerQuestions() {}

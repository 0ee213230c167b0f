package main

func (f *front) registerExtras() {}

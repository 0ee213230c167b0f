package main

func (f *front) registerPaging(pageSize int) {}

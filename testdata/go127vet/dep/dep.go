package dep

const X = 1

package testraces

// Declared is analyzers for the tests: each analyzer as its package
// declares it, before withOneFactAnalyzer.
var Declared = analyzers

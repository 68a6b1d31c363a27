library(testthat)
library(nutrievidence)

test_check("nutrievidence")

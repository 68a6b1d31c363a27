# Replace every `.Call(...)` in the closures of the nutrievidence namespace
# (and in its registered S3 methods) by a call to `wrapper`, a function with
# the signature function(.NAME, ...). Used to record the arguments the test
# suite passes to each entry point (the fuzz corpus) and to switch gctorture
# on around each entry point only.
nev_wrap_dotcall <- function(wrapper, pkg = "nutrievidence") {
  ns <- asNamespace(pkg)
  rewrite <- function(e) {
    if (!is.call(e)) return(e)
    if (identical(e[[1L]], quote(.Call))) e[[1L]] <- wrapper
    for (i in seq_along(e)) {
      if (i > 1L || is.call(e[[1L]])) {
        if (is.call(e[[i]])) e[[i]] <- rewrite(e[[i]])
        # do.call(.Call, ...): the symbol as an argument.
        else if (is.symbol(e[[i]]) && identical(e[[i]], quote(.Call))) e[[i]] <- wrapper
      }
    }
    e
  }
  patch <- function(f) {
    if (!is.function(f) || is.primitive(f)) return(NULL)
    b <- body(f)
    nb <- rewrite(b)
    if (identical(nb, b)) return(NULL)
    body(f) <- nb
    f
  }
  n <- 0L
  for (nm in ls(ns, all.names = TRUE)) {
    g <- patch(get(nm, envir = ns))
    if (is.null(g)) next
    locked <- bindingIsLocked(nm, ns)
    if (locked) unlockBinding(nm, ns)
    assign(nm, g, envir = ns)
    if (locked) lockBinding(nm, ns)
    n <- n + 1L
  }
  # The attached package environment holds its own copies of the exports.
  pe <- paste0("package:", pkg)
  if (pe %in% search()) {
    env <- as.environment(pe)
    for (nm in ls(env, all.names = TRUE)) {
      g <- get0(nm, envir = ns, inherits = FALSE)
      if (!is.function(g) || identical(g, get(nm, envir = env))) next
      locked <- bindingIsLocked(nm, env)
      if (locked) unlockBinding(nm, env)
      assign(nm, g, envir = env)
      if (locked) lockBinding(nm, env)
    }
  }
  # Registered S3 methods live in the generic's table as separate copies.
  s3 <- ns[[".__NAMESPACE__."]][["S3methods"]]
  if (length(s3)) for (r in seq_len(nrow(s3))) {
    meth <- if (is.na(s3[r, 3L])) paste(s3[r, 1L], s3[r, 2L], sep = ".") else s3[r, 3L]
    f <- get0(meth, envir = ns, inherits = FALSE)
    # A generic of a package that is not loaded (knitr's knit_print) is
    # registered when that package loads; nothing to replace until then.
    if (is.function(f))
      try(registerS3method(s3[r, 1L], s3[r, 2L], f, envir = ns), silent = TRUE)
  }
  invisible(n)
}

# Labelled passages for the claim_scan() tests (fixtures/scan-passages.txt):
# a named character vector, one element per passage.
scan_passages <- function() {
  lines <- readLines(test_path("fixtures", "scan-passages.txt"),
                     encoding = "UTF-8")
  lines <- lines[!grepl("^# ", lines)]
  head <- grepl("^### ", lines)
  id <- sub("^### (\\S+).*$", "\\1", lines[head])
  grp <- cumsum(head)
  txt <- vapply(seq_along(id), function(i) {
    paste(lines[grp == i & !head], collapse = "\n")
  }, "")
  stats::setNames(enc2utf8(txt), id)
}

scan_labels <- function() {
  utils::read.csv(test_path("fixtures", "scan-labels.csv"),
                  colClasses = "character", encoding = "UTF-8",
                  na.strings = character(0))
}

# Recall and precision of a scan against labels, matching the document and
# the three numbers as printed.
scan_agreement <- function(found, labels, doc = "doc") {
  key_f <- paste(found[[doc]], found$estimate_printed,
                 ifelse(is.na(found$lower_printed), "", found$lower_printed),
                 ifelse(is.na(found$upper_printed), "", found$upper_printed))
  key_l <- paste(labels$passage, labels$estimate, labels$lower, labels$upper)
  list(recall = mean(key_l %in% key_f), precision = mean(key_f %in% key_l),
       missed = labels[!key_l %in% key_f, ],
       extra = found[!key_f %in% key_l, ], key_f = key_f, key_l = key_l)
}

# Builds data/k2_foods.rda from inst/extdata/k2_food_composition.csv.
# Run from the package root: Rscript data-raw/k2_foods.R
# Every source's row is kept; nothing is averaged here (k2_content() does the
# summarising at run time).
raw <- utils::read.csv("inst/extdata/k2_food_composition.csv",
                       stringsAsFactors = FALSE, encoding = "UTF-8",
                       colClasses = "character")
stopifnot(identical(names(raw), c("food", "form", "ug_per_100g", "basis_note",
                                  "source", "evidence")))

# Values are single numbers or ranges "lo-hi" (e.g. 62 European cheeses).
val <- trimws(raw$ug_per_100g)
is_range <- grepl("^[0-9.]+-[0-9.]+$", val)
lo <- hi <- suppressWarnings(as.numeric(val))
lo[is_range] <- as.numeric(sub("-.*$", "", val[is_range]))
hi[is_range] <- as.numeric(sub("^.*-", "", val[is_range]))
stopifnot(!anyNA(lo), !anyNA(hi), all(lo <= hi))

# A coarse food group so that users can ask k2_content("cheese").
group <- ifelse(grepl("natto", raw$food), "natto",
         ifelse(grepl("cheese", raw$food), "cheese",
         ifelse(grepl("egg", raw$food), "egg",
         ifelse(grepl("butter", raw$food), "butter",
         ifelse(grepl("liver", raw$food), "liver",
         ifelse(grepl("chicken", raw$food), "chicken",
         ifelse(grepl("beef|ham", raw$food), "meat",
         ifelse(grepl("sauerkraut", raw$food), "vegetable", "other"))))))))

k2_foods <- data.frame(
  food = enc2utf8(raw$food),
  group = group,
  form = enc2utf8(raw$form),
  ug_per_100g = ifelse(is_range, NA_real_, lo),
  ug_per_100g_min = lo,
  ug_per_100g_max = hi,
  basis_note = enc2utf8(raw$basis_note),
  source = enc2utf8(raw$source),
  evidence = raw$evidence,
  stringsAsFactors = FALSE
)
save(k2_foods, file = "data/k2_foods.rda", compress = "xz", version = 2)

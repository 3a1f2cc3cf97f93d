# Oracle for csat_analysis.design.SurveyDesign: R survey's svymean/svytotal/svyby on
# raked, calibrated (calfun = "raking"), post-stratified, stratified, clustered and fpc designs.
# Run from the repository root: Rscript tests/oracles/survey_designs.R [output folder]
# Writes tests/oracles/survey_sample.csv (the derived sample) and
# tests/oracles/survey_designs.csv (the estimates); the Python tests read only those.
suppressMessages(library(survey))  # calibrate(calfun = "raking") also needs MASS
options(digits = 17)
args <- commandArgs(trailingOnly = TRUE)
here <- if (length(args)) args[1] else "tests/oracles"  # the tests pass a scratch folder
raw <- read.csv("data/raw/telco_churn.csv", stringsAsFactors = FALSE)
n <- nrow(raw)
row <- seq_len(n)
# a deterministic artificial design on the real telco answers
sample <- data.frame(
  monthly_charges = raw$monthly_charges,
  tenure = raw$tenure,
  churn = raw$churn,
  internet_service = raw$internet_service,
  gender = ifelse(raw$female == 1, "female", "male"),
  senior = ifelse(raw$senior_citizen == 1, "senior", "younger"),
  contract = raw$contract,
  ltr = (raw$tenure * 7 + row) %% 11,
  w = 1 + (row %% 7) / 3,
  stratum = raw$contract,
  psu = paste0(raw$contract, "-", (row - 1) %/% 25),
  stringsAsFactors = FALSE
)
sample$monthly_charges[row %% 97 == 0] <- NA   # missing answers: a domain, as na.rm=TRUE
psus <- tapply(sample$psu, sample$stratum, function(x) length(unique(x)))
sample$fpc <- as.numeric(5 * psus[sample$stratum])
sample$nps_score <- ifelse(sample$ltr >= 9, 100, ifelse(sample$ltr <= 6, -100, 0))
sample$churned <- as.numeric(sample$churn == "Yes")
write.csv(sample, file.path(here, "survey_sample.csv"), row.names = FALSE)

source("tests/oracles/survey_design_set.R")  # the designs: `calibrated`
rows <- list()
add <- function(design, statistic, column, by, domain, est, se) {
  rows[[length(rows) + 1]] <<- data.frame(design = design, statistic = statistic, column = column, by = by,
                                          domain = domain, value = est, se = se, stringsAsFactors = FALSE)
}
for (name in names(calibrated)) {
  d <- calibrated[[name]]
  for (column in c("monthly_charges", "tenure", "churned", "nps_score")) {
    f <- as.formula(paste0("~", column))
    m <- svymean(f, d, na.rm = TRUE)
    add(name, "mean", column, "", "", coef(m)[[1]], SE(m)[[1]])
    t <- svytotal(f, d, na.rm = TRUE)
    add(name, "total", column, "", "", coef(t)[[1]], SE(t)[[1]])
    b <- svyby(f, ~contract, d, svymean, na.rm = TRUE)
    for (k in seq_len(nrow(b))) add(name, "mean", column, "contract", as.character(b$contract[k]), b[k, column], SE(b)[k])
  }
}
out <- do.call(rbind, rows)
# full precision: write.csv keeps only 15 significant digits
out$value <- sprintf("%.17g", out$value)
out$se <- sprintf("%.17g", out$se)
write.csv(out, file.path(here, "survey_designs.csv"), row.names = FALSE)
cat("wrote", nrow(out), "rows\n")

# Oracle for csat_analysis.design.SurveyDesign.chisq: R survey's svychisq (Rao-Scott F and
# first-order chi-square) under the designs of survey_designs.R (plain weights, strata,
# clusters, fpc; each also raked, post-stratified and calibrated with calfun = "raking").
# Run from the repository root: Rscript tests/oracles/survey_chisq.R [output folder]
# Reads tests/oracles/survey_sample.csv (written by survey_designs.R) and writes
# tests/oracles/survey_chisq.csv; the Python tests read only those.
suppressMessages(library(survey))  # calibrate(calfun = "raking") also needs MASS
options(digits = 17)
args <- commandArgs(trailingOnly = TRUE)
here <- if (length(args)) args[1] else "tests/oracles"  # the tests pass a scratch folder
sample <- read.csv("tests/oracles/survey_sample.csv", stringsAsFactors = FALSE)
# a two-level column with missing values (those of monthly_charges): rows left out as a domain
sample$charge_band <- ifelse(sample$monthly_charges > 70, "high", "low")

source("tests/oracles/survey_design_set.R")  # the designs: `calibrated`
# the unweighted simple random sample: no design at all
# (svydesign warns that it assumes equal probabilities: that is the point)
calibrated[["srs"]] <- suppressWarnings(svydesign(ids = ~1, data = sample))

pairs <- list(c("churn", "contract"), c("gender", "internet_service"), c("senior", "churn"),
              c("internet_service", "contract"), c("charge_band", "contract"))
rows <- list()
for (name in names(calibrated)) {
  d <- calibrated[[name]]
  for (pair in pairs) {
    f <- as.formula(paste0("~", pair[1], "+", pair[2]))
    for (statistic in c("F", "Chisq")) {
      test <- svychisq(f, d, statistic = statistic)
      parameter <- unname(test$parameter)
      rows[[length(rows) + 1]] <- data.frame(
        design = name, row = pair[1], col = pair[2], test = statistic,
        statistic = sprintf("%.17g", unname(test$statistic)),
        ndf = sprintf("%.17g", parameter[1]),
        ddf = if (statistic == "F") sprintf("%.17g", parameter[2]) else "",
        p_value = sprintf("%.17g", test$p.value),
        rows_in_design = nrow(sample),
        stringsAsFactors = FALSE
      )
    }
  }
}
out <- do.call(rbind, rows)
write.csv(out, file.path(here, "survey_chisq.csv"), row.names = FALSE)
cat("wrote", nrow(out), "rows\n")

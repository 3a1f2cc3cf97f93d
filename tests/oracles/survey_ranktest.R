# Oracle for csat_analysis.design.SurveyDesign.ranktest: R survey's svyranktest (Lumley and
# Scott 2013 design-based rank tests) under the designs of survey_chisq.R (plain weights,
# strata, clusters, fpc; each also raked, post-stratified and calibrated with calfun = "raking";
# and the unweighted simple random sample).
# Run from the repository root: Rscript tests/oracles/survey_ranktest.R [output folder]
# Reads tests/oracles/survey_sample.csv (written by survey_designs.R) and writes
# tests/oracles/survey_ranktest.csv; the Python tests read only those.
# With two groups R returns a t statistic (df = design df - 1, estimate = difference in mean
# rank score); with more, a Wald chi-square referred to F(groups - 1, design df - groups + 1).
suppressMessages(library(survey))  # calibrate(calfun = "raking") also needs MASS
options(digits = 17)
args <- commandArgs(trailingOnly = TRUE)
here <- if (length(args)) args[1] else "tests/oracles"  # the tests pass a scratch folder
sample <- read.csv("tests/oracles/survey_sample.csv", stringsAsFactors = FALSE)

source("tests/oracles/survey_design_set.R")  # the designs: `calibrated`
calibrated[["srs"]] <- suppressWarnings(svydesign(ids = ~1, data = sample))

# monthly_charges has missing values (rows left out); senior and churn have two groups
pairs <- list(c("monthly_charges", "contract"), c("tenure", "internet_service"), c("ltr", "senior"),
              c("ltr", "contract"), c("monthly_charges", "churn"))
tests <- c("KruskalWallis", "wilcoxon", "vanderWaerden", "median")
rows <- list()
for (name in names(calibrated)) {
  d <- calibrated[[name]]
  for (pair in pairs) {
    f <- as.formula(paste0(pair[1], "~", pair[2]))
    for (test in tests) {
      if (test != "KruskalWallis" && !(name %in% c("cluster_fpc+rake", "srs"))) next
      result <- svyranktest(f, d, test = test)
      two <- length(unique(na.omit(sample[, c(pair[1], pair[2])])[[pair[2]]])) == 2
      rows[[length(rows) + 1]] <- data.frame(
        design = name, column = pair[1], by = pair[2], test = test, groups = if (two) 2 else 0,
        # multiranktest stores the Wald chi-square in $parameter and the groups - 1 in $statistic
        t = if (two) sprintf("%.17g", unname(result$statistic)) else "",
        estimate = if (two) sprintf("%.17g", unname(result$estimate)) else "",
        wald = if (two) "" else sprintf("%.17g", unname(result$parameter)),
        ndf = if (two) "1" else sprintf("%.17g", unname(result$statistic)),
        ddf = sprintf("%.17g", if (two) unname(result$parameter) else result$ddf),
        p_value = sprintf("%.17g", result$p.value),
        stringsAsFactors = FALSE
      )
    }
  }
}
out <- do.call(rbind, rows)
write.csv(out, file.path(here, "survey_ranktest.csv"), row.names = FALSE)
cat("wrote", nrow(out), "rows\n")

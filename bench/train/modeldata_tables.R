# bench/train: public binary tables for the trainer's benchmark, written as CSV.
#
# Source: the R package 'modeldata' (CRAN, MIT licence; Debian/Ubuntu package r-cran-modeldata), data sets collected
# by the tidymodels team from published sources, documented in the package (?mlc_churn etc.):
#   mlc_churn      customer churn of a telecom (MLC++ / C50 package), 5,000 rows, text columns
#   attrition      IBM Watson HR employee attrition, 1,470 rows, many text columns
#   ad_data        Alzheimer's disease CSF biomarkers (Craig-Schapiro et al. 2011), 333 rows x 130 columns
#   two_class_dat  two predictors, two classes (Kuhn & Johnson, Applied Predictive Modeling), 791 rows
#   credit_data    credit scoring (Ferrer 2011), 4,454 rows, missing values
#   lending_club   Lending Club loans 2016 Q1 subset, 9,857 rows, 5% positives
#   wa_churn       IBM Watson telco churn, 7,043 rows, missing values
#   stackoverflow  Stack Overflow developer survey 2018, remote work, 5,594 rows, 10% positives
#   cells          cell body segmentation (Hill et al. 2007), 2,019 rows x 56 columns
# Usage: Rscript modeldata_tables.R OUT_DIR   -> OUT_DIR/<name>.csv and OUT_DIR/tables.tsv (name, label, positive)
suppressMessages(library(modeldata))
out <- commandArgs(trailingOnly = TRUE)[1]
dir.create(out, showWarnings = FALSE, recursive = TRUE)

tables <- list(
  list(name = "mlc_churn", label = "churn", positive = "yes"),
  list(name = "attrition", label = "Attrition", positive = "Yes"),
  list(name = "ad_data", label = "Class", positive = "Impaired"),
  list(name = "two_class_dat", label = "Class", positive = "Class1"),
  list(name = "credit_data", label = "Status", positive = "bad"),
  list(name = "lending_club", label = "Class", positive = "bad"),
  list(name = "wa_churn", label = "churn", positive = "Yes"),
  list(name = "stackoverflow", label = "Remote", positive = "Remote"),
  list(name = "cells", label = "class", positive = "PS", drop = "case")
)

manifest <- data.frame()
for (t in tables) {
  e <- new.env()
  data(list = t$name, package = "modeldata", envir = e)
  d <- as.data.frame(get(t$name, envir = e))
  if (!is.null(t$drop)) d[[t$drop]] <- NULL
  # Factors as their labels; missing values as empty cells (what most CSV exports do).
  for (c in names(d)) if (is.factor(d[[c]])) d[[c]] <- as.character(d[[c]])
  write.csv(d, file.path(out, paste0(t$name, ".csv")), row.names = FALSE, na = "")
  manifest <- rbind(manifest, data.frame(name = t$name, label = t$label, positive = t$positive,
                                         rows = nrow(d), columns = ncol(d) - 1,
                                         positive_rate = round(mean(d[[t$label]] == t$positive), 4)))
}
write.table(manifest, file.path(out, "tables.tsv"), sep = "\t", quote = FALSE, row.names = FALSE)

#pragma once
// The samples of a regression objective as a group of fields: the generator's n, noise (linear) or
// separation and balance (logistic), and seed; "Regenerate" (the next seed) and "Import CSV…"; a line
// naming the CSV file the samples came from, and a red line for what went wrong with the data.

#include "DataSet.h"

#include <QGroupBox>

class QFormLayout;
class QLabel;
class QSpinBox;

namespace gdviz {

class NumberSpinBox;

class DataSetEditor : public QGroupBox {
    Q_OBJECT
public:
    explicit DataSetEditor(QWidget *parent = nullptr);

    /// Shows generator (without emitting) with the fields of a linear or a logistic data set.
    void setGenerator(const DataGeneratorSettings &generator, bool logistic);
    /// The generator settings as the fields show them (not validated).
    DataGeneratorSettings generator() const;
    /// The CSV file the samples came from; empty: they are generated.
    void setCsvSource(const QString &path);
    /// The number of samples the objective has now (a CSV file's rows, or the generated n).
    void setLoadedSampleCount(std::size_t n);
    /// A red, word-wrapped message under the fields; empty hides it.
    void showError(const QString &message);
    QFormLayout *form() const { return m_form; }

signals:
    /// A generator field changed, or Regenerate moved to the next seed.
    void generatorEdited();
    /// The user chose a CSV file: its absolute path.
    void csvFileChosen(const QString &path);

private:
    DataGeneratorSettings m_generator; // keeps what the fields do not show (slope, x range, ...)
    bool m_logistic = false;
    bool m_updating = false;
    QFormLayout *m_form = nullptr;
    QSpinBox *m_sampleCount = nullptr, *m_seed = nullptr;
    NumberSpinBox *m_noise = nullptr, *m_separation = nullptr, *m_balance = nullptr;
    QLabel *m_source = nullptr, *m_error = nullptr;
};

} // namespace gdviz

#pragma once
// The look the loss and data plots share: quiet grey axes and faint grid lines, so the runs' colours
// carry the picture.

#include <qcustomplot.h>

namespace gdviz {

inline void applyQuietAxes(QCustomPlot *plot)
{
    const QColor ink(60, 60, 60), frame(150, 150, 150);
    for (QCPAxis *axis : {plot->xAxis, plot->yAxis}) {
        axis->setBasePen(QPen(frame, 1));
        axis->setTickPen(QPen(frame, 1));
        axis->setSubTickPen(QPen(frame, 1));
        axis->setTickLabelColor(ink);
        axis->setLabelColor(ink);
        axis->grid()->setPen(QPen(QColor(0, 0, 0, 28), 1));
        axis->grid()->setZeroLinePen(Qt::NoPen);
    }
}

} // namespace gdviz

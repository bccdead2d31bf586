#pragma once
// Run colours: the Okabe-Ito palette, safe for the common forms of colour blindness and distinct on a
// projector. Runs take them in order; a user may recolour a run.

#include <QColor>
#include <qcustomplot.h>

#include <iterator>

namespace gdviz {

inline QColor runColor(int index)
{
    static const QColor palette[] = {QColor(0x00, 0x72, 0xB2), QColor(0xD5, 0x5E, 0x00), QColor(0x00, 0x9E, 0x73),
                                     QColor(0xCC, 0x79, 0xA7), QColor(0xE6, 0x9F, 0x00), QColor(0x56, 0xB4, 0xE9),
                                     QColor(0x00, 0x00, 0x00), QColor(0xF0, 0xE4, 0x42)};
    return palette[index % int(std::size(palette))];
}

/// Run markers: a shape per run (circle, square, triangle, diamond, ...), so runs on the same path, or seen
/// without colour, stay apart.
inline QCPScatterStyle::ScatterShape runMarker(int index)
{
    static const QCPScatterStyle::ScatterShape shapes[] = {
        QCPScatterStyle::ssCircle, QCPScatterStyle::ssSquare, QCPScatterStyle::ssTriangle, QCPScatterStyle::ssDiamond,
        QCPScatterStyle::ssTriangleInverted, QCPScatterStyle::ssStar, QCPScatterStyle::ssCrossSquare, QCPScatterStyle::ssPlusCircle};
    return shapes[index % int(std::size(shapes))];
}

} // namespace gdviz

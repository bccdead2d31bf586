#pragma once
// Every key of the window in one overlay over the plots (F1 or ?), large enough to read on a projector.
// Any key or click closes it.

#include <QLabel>

namespace gdviz {

class KeysOverlay : public QLabel {
    Q_OBJECT
public:
    explicit KeysOverlay(QWidget *parent);
    /// Covers the parent and takes the focus, so the next key closes it.
    void popUp();

protected:
    bool event(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void focusOutEvent(QFocusEvent *event) override;
};

} // namespace gdviz

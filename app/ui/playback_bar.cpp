#include "playback_bar.h"

#include <QAction>
#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QPixmap>
#include <QSlider>
#include <QToolButton>

#include <algorithm>
#include <cmath>

#include "gui_theme.h"
#include "lane/lane.h"
#include "playback_controller.h"
#include "run_table_model.h"
#include "time_axis.h"

namespace spindle::ui {

namespace {

constexpr int kSliderSteps = 10000;
constexpr double kSpeeds[] = {1e-6, 2e-6, 5e-6, 1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4,
                              1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.05, 0.1,  0.2,  0.5,
                              1,    2,    5,    10,   20,   50,   100};

/// "50 µs/s" (virtual time played per real second) below real time, "2×" above.
QString speed_text(double s) {
    if (s >= 1) return QStringLiteral("%1×").arg(s);
    return render::format_duration(std::llround(s * 1e9)) + QStringLiteral("/s");
}

}  // namespace

PlaybackBar::PlaybackBar(PlaybackController* playback, QWidget* parent)
    : QWidget(parent), m_playback(playback) {
    setObjectName(QStringLiteral("PlaybackBar"));
    setAutoFillBackground(true);

    auto action = [this](const QString& text, const QKeySequence& key, QStyle::StandardPixmap icon,
                         const QString& tip, auto slot) {
        auto* a = new QAction(text, this);
        a->setShortcut(key);
        a->setIcon(media_icon(icon));
        a->setToolTip(tip);
        connect(a, &QAction::triggered, m_playback, slot);
        return a;
    };
    m_play = action(tr("Play"), QKeySequence(Qt::Key_Space), QStyle::SP_MediaPlay,
                    tr("Play / pause (Space)"), &PlaybackController::toggle_play);
    m_step_back = action(tr("Step Back"), QKeySequence(Qt::Key_Comma), QStyle::SP_MediaSeekBackward,
                         tr("Previous event (, or Left in the timeline)"),
                         &PlaybackController::step_backward);
    m_step_forward =
        action(tr("Step Forward"), QKeySequence(Qt::Key_Period), QStyle::SP_MediaSeekForward,
               tr("Next event (. or Right in the timeline)"), &PlaybackController::step_forward);
    m_to_start =
        action(tr("Jump to Start"), QKeySequence(Qt::Key_Home), QStyle::SP_MediaSkipBackward,
               tr("Jump to the start (Home)"), &PlaybackController::jump_to_start);
    m_to_end = action(tr("Jump to End"), QKeySequence(Qt::Key_End), QStyle::SP_MediaSkipForward,
                      tr("Jump to the end (End)"), &PlaybackController::jump_to_end);

    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(6, 3, 8, 3);
    row->setSpacing(4);
    for (QAction* a : {m_to_start, m_step_back, m_play, m_step_forward, m_to_end}) {
        auto* b = new QToolButton;
        b->setAutoRaise(true);
        b->setDefaultAction(a);
        row->addWidget(b);
    }

    m_slider = new QSlider(Qt::Horizontal);
    m_slider->setRange(0, kSliderSteps);
    m_slider->setToolTip(tr("Scrub through the run"));
    row->addWidget(m_slider, 1);
    connect(m_slider, &QSlider::valueChanged, this, [this](int v) {
        // Only the user moves it: the playhead updates it with signals blocked.
        const double t = static_cast<double>(m_playback->end()) * v / kSliderSteps;
        m_playback->pause();
        m_playback->set_time(static_cast<qint64>(std::llround(t)));
    });

    m_time_label = new QLabel;
    m_time_label->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_time_label->setMinimumWidth(m_time_label->fontMetrics().horizontalAdvance(
        QStringLiteral("0000.000 ms / 0000.000 ms  ")));
    m_time_label->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    row->addWidget(m_time_label);

    auto* speed_label = new QLabel(tr("Speed"));
    speed_label->setContentsMargins(10, 0, 2, 0);
    row->addWidget(speed_label);
    m_speed = new QComboBox;
    for (double s : kSpeeds)
        m_speed->addItem(speed_text(s), s);
    m_speed->setToolTip(
        tr("Playback speed: virtual time played per real second (1× is "
           "real time)"));
    m_speed->setCurrentIndex(m_speed->findData(1.0));
    row->addWidget(m_speed);
    connect(m_speed, &QComboBox::currentIndexChanged, this,
            [this](int i) { m_playback->set_speed(m_speed->itemData(i).toDouble()); });

    connect(m_playback, &PlaybackController::time_changed, this, &PlaybackBar::show_time);
    connect(m_playback, &PlaybackController::playing_changed, this, [this](bool playing) {
        m_play->setText(playing ? tr("Pause") : tr("Play"));
        m_play->setIcon(media_icon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    });
    connect(m_playback, &PlaybackController::speed_changed, this, [this](double s) {
        const int i = m_speed->findData(s);
        if (i >= 0) {
            const QSignalBlocker block(m_speed);
            m_speed->setCurrentIndex(i);
        }
    });
    show_time(0);
}

QList<QAction*> PlaybackBar::transport_actions() const {
    return {m_play, m_step_back, m_step_forward, m_to_start, m_to_end};
}

void PlaybackBar::set_playable(bool playable) {
    for (QAction* a : transport_actions())
        a->setEnabled(playable);
    m_slider->setEnabled(playable);
}

void PlaybackBar::pick_speed_for(view::Time run_end) {
    const double wanted = static_cast<double>(std::max<view::Time>(run_end, 1)) / 10e9;
    double best = kSpeeds[0];
    for (double s : kSpeeds)
        if (std::abs(std::log(s / wanted)) < std::abs(std::log(best / wanted))) best = s;
    m_speed->setCurrentIndex(m_speed->findData(best));
    m_playback->set_speed(best);
}

void PlaybackBar::show_time(qint64 t) {
    const view::Time end = m_playback->end();
    const TimeUnit unit = time_unit_for(end);
    m_time_label->setText(
        QStringLiteral("%1 / %2").arg(fixed_time(t, unit), fixed_time(end, unit)));
    if (!m_slider->isSliderDown()) {
        const QSignalBlocker block(m_slider);
        m_slider->setValue(
            end > 0 ? static_cast<int>(std::llround(double(t) * kSliderSteps / double(end))) : 0);
    }
}

QIcon PlaybackBar::media_icon(QStyle::StandardPixmap which) const {
    const QIcon icon = style()->standardIcon(which);
    if (&gui_theme() != &render::Theme::dark()) return icon;
    // The style draws these glyphs dark: recolour them for a dark window.
    QIcon light;
    for (int size : {16, 24, 32}) {
        QImage image = icon.pixmap(size).toImage().convertToFormat(QImage::Format_ARGB32);
        const QColor c = gui_theme().text;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                image.setPixelColor(
                    x, y, QColor(c.red(), c.green(), c.blue(), image.pixelColor(x, y).alpha()));
        light.addPixmap(QPixmap::fromImage(image));
    }
    return light;
}

void PlaybackBar::apply_theme() {
    m_play->setIcon(
        media_icon(m_playback->playing() ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    m_step_back->setIcon(media_icon(QStyle::SP_MediaSeekBackward));
    m_step_forward->setIcon(media_icon(QStyle::SP_MediaSeekForward));
    m_to_start->setIcon(media_icon(QStyle::SP_MediaSkipBackward));
    m_to_end->setIcon(media_icon(QStyle::SP_MediaSkipForward));
}

}  // namespace spindle::ui

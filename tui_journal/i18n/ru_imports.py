"""Russian strings of one area (see the package docstring for how parts are merged)."""

from __future__ import annotations

RU: dict[str, str] = {
    # --- the plan screen's paste box and the previous plan (screens/plan.py) ---
    "key.plan.restore": "Прежний КТП",
    "plan.replace_prompt": "Заменить КТП: было тем {was}, станет {will}?",
    "plan.replace_confirm": "Заменить КТП: было тем {was}, станет {will}? Enter — да, Esc — нет",
    "plan.import_new_prompt": "Загрузить тем: {n}?",
    "plan.import_new_confirm": "Загрузить тем: {n}? Enter — да, Esc — нет",
    "plan.import_cancelled": "Загрузка отменена, план не изменён",
    "plan.import_errors": "Ничего не загружено: исправьте строки в окне (F2 — проверить снова, Esc — отмена)",
    "plan.imported_paste": "Загружено тем: {n}. Прежний план — F7",
    "plan.restore_prompt": "Вернуть прежний КТП (тем {n})?",
    "plan.restore_confirm": "Вернуть прежний КТП (тем {n})? Текущий уйдёт в архив. Enter — да, Esc — нет",
    "plan.restore_none": "Прежнего плана нет: план ещё не заменяли",
    "plan.restored": "Прежний план возвращён: тем {n}. Заменённый — снова F7",
    # --- the sign screen: files of the exports folder, never a typed path (screens/control.py) ---
    "key.sign.reload": "Обновить",
    "sign.folder": "Папка выгрузок: {folder}",
    "sign.col.name": "Файл",
    "sign.col.size": "Размер",
    "sign.col.time": "Изменён",
    "sign.col.sig": "Подпись",
    "sign.has_sig": "есть",
    "sign.no_files": "В папке выгрузок нет файлов: сохраните журнал или отчёт (Отчёты → PDF, XLSX) и нажмите F5",
}

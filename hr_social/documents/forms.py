from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class VerifyForm(FlaskForm):
    """Looks up; changes nothing but the throttling counter."""

    code = StringField(_l("Code de vérification"), validators=[DataRequired(), Length(max=40)])
    file = FileField(_l("PDF à comparer (facultatif)"))

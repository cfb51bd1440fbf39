"""Forms of the sandbox pages and the optional account."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from sandbox.web.sandboxes import MAX_NAME


class SandboxNameForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=MAX_NAME,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class SignUpForm(UserCreationForm):
    """Username and password only: the account just keeps sandboxes; no e-mail is asked for."""

    class Meta(UserCreationForm.Meta):
        fields = ("username",)

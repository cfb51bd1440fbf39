"""URLs of the course: the map, a lesson page, and the lesson panel's JSON API (mounted at /learn/)."""

from __future__ import annotations

from django.urls import path

from sandbox.lessons import views

app_name = "lessons"

urlpatterns = [
    path("", views.course_index, name="index"),
    path("api/<slug:lesson_id>/state", views.api_state, name="api-state"),
    path("api/<slug:lesson_id>/hint", views.api_hint, name="api-hint"),
    path("api/<slug:lesson_id>/reset", views.api_reset, name="api-reset"),
    path("api/<slug:lesson_id>/clock", views.api_clock, name="api-clock"),
    path("<slug:lesson_id>/", views.lesson_page, name="lesson"),
]

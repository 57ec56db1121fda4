"""What makes a password acceptable, wherever one is set (CLI, admin form, own account).

Length does the most work: at least 10 characters. Beyond that only the mistakes people
actually make are refused: digits alone (a phone number or a date), the username itself,
and passwords found at the top of every leaked list. Messages are Thai, for the person
typing.
"""

from __future__ import annotations

MIN_LENGTH = 10
MAX_LENGTH = 128

# Lower-cased; only entries of MIN_LENGTH or more matter (shorter ones fail on length).
COMMON = frozenset(
    {
        "password",
        "password1",
        "password12",
        "password123",
        "password1234",
        "passw0rd12",
        "p@ssw0rd12",
        "p@ssword123",
        "qwertyuiop",
        "qwerty1234",
        "qwerty12345",
        "qwerty123456",
        "1q2w3e4r5t",
        "1qaz2wsx3edc",
        "zaq12wsxcde3",
        "asdfghjkl1",
        "asdfghjkl;",
        "zxcvbnm123",
        "abcdefghij",
        "abcd123456",
        "abc1234567",
        "abcdef1234",
        "a123456789",
        "aa12345678",
        "iloveyou12",
        "iloveyou123",
        "admin12345",
        "admin123456",
        "admin@1234",
        "administrator",
        "welcome123",
        "welcome1234",
        "letmein123",
        "changeme123",
        "monkey1234",
        "football123",
        "sunshine123",
        "princess123",
        "superman123",
        "dragon1234",
        "baseball123",
        "trustno1234",
        "1234567890",
        "0987654321",
        "1234qwerty",
        "qwer123456",
        "passwordpassword",
        "thailand123",
        "thailand1234",
        "bangkok123",
        "bangkok1234",
        "formsvc123",
        "formsvc1234",
        "changeit123",
    }
)


def problem(password: str | None, username: str | None = None) -> str | None:
    """Why ``password`` may not be used (Thai), or None when it is acceptable."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        return f"รหัสผ่านต้องยาวอย่างน้อย {MIN_LENGTH} ตัวอักษร"
    if len(password) > MAX_LENGTH:
        return f"รหัสผ่านยาวเกิน {MAX_LENGTH} ตัวอักษร"
    if password.isdigit():
        return "รหัสผ่านต้องไม่เป็นตัวเลขล้วน (เช่น เบอร์โทรศัพท์หรือวันเกิด) กรุณาผสมตัวอักษร"
    folded = password.casefold()
    if username and folded == username.strip().casefold():
        return "รหัสผ่านต้องไม่เหมือนชื่อผู้ใช้"
    if folded in COMMON:
        return "รหัสผ่านนี้เป็นรหัสที่ใช้กันทั่วไปและถูกเดาได้ง่าย กรุณาตั้งรหัสอื่น"
    return None
